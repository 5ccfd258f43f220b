package extract

import (
	"net/url"
	"testing"
)

func TestCleanImageURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"cache buster with an unknown name", "https://cdn.example.com/a/photo.jpg?v=83920", "https://cdn.example.com/a/photo.jpg"},
		{"buster beside real parameters", "https://cdn.example.com/a/photo.jpg?itok=Xy12&v=1&width=1080", "https://cdn.example.com/a/photo.jpg"},
		{"upper-case extension", "https://cdn.example.com/a/PHOTO.JPEG?quality=50", "https://cdn.example.com/a/PHOTO.JPEG"},
		{"signed S3 URL", "https://b.s3.amazonaws.com/p.png?X-Amz-Signature=ab&X-Amz-Expires=300", "https://b.s3.amazonaws.com/p.png"},
		{"no extension keeps its identity", "https://img.example.com/image?id=5&w=800", "https://img.example.com/image?id=5&w=800"},
		{"no extension drops signatures", "https://img.example.com/image?id=5&Expires=99&Signature=zz&Key-Pair-Id=k", "https://img.example.com/image?id=5"},
		{"tracking keys go too", "https://img.example.com/image?id=5&utm_source=x", "https://img.example.com/image?id=5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := CleanImageURL(u).String(); got != tt.want {
				t.Errorf("CleanImageURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestImageSource(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]string
		want  string
	}{
		{"plain src", map[string]string{"src": "/a.jpg"}, "/a.jpg"},
		{"lazy placeholder before the swap", map[string]string{"src": "/img/placeholder.gif", "data-src": "/a.jpg"}, "/a.jpg"},
		{"low-res stand-in before the swap", map[string]string{"src": "/a-lqip.jpg", "data-src": "/a.jpg"}, "/a.jpg"},
		{"after the swap", map[string]string{"src": "/a.jpg"}, "/a.jpg"},
		{"data URI placeholder and srcset", map[string]string{"src": "data:image/gif;base64,R0l", "srcset": "/a-300.jpg 300w, /a-900.jpg 900w"}, "/a-900.jpg"},
		{"srcset reordered", map[string]string{"srcset": "/a-900.jpg 900w, /a-300.jpg 300w"}, "/a-900.jpg"},
		{"density descriptors", map[string]string{"data-srcset": "/a@2x.jpg 2x, /a.jpg 1x"}, "/a@2x.jpg"},
		{"only a placeholder", map[string]string{"src": "/static/blank.gif"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ImageSource(func(k string) string { return tt.attrs[k] }); got != tt.want {
				t.Errorf("ImageSource(%v) = %q, want %q", tt.attrs, got, tt.want)
			}
		})
	}
}

func TestBestSrcsetIgnoresOrder(t *testing.T) {
	a := BestSrcset("/x.jpg 1x, /y.jpg 1x, /z.jpg")
	b := BestSrcset("/z.jpg, /y.jpg 1x, /x.jpg 1x")
	if a != b || a != "/x.jpg" {
		t.Errorf("BestSrcset gave %q and %q for one set in two orders, want /x.jpg", a, b)
	}
}

func TestImageKey(t *testing.T) {
	same := [][2]string{
		{"https://www.example.com/img/800x600/photo.jpg?v=1", "https://example.com/img/1200x900/photo.jpg"},
		{"https://res.example.com/image/upload/w_800,h_450,c_fill/photo.jpg", "https://res.example.com/image/upload/w_300/photo.jpg"},
		{"https://cdn.example.com/resize/1200/photo.jpg", "https://cdn.example.com/resize/640/photo.jpg"},
		{"https://example.com/wp-content/uploads/resize/1080x720/boug-window.jpg", "https://example.com/wp-content/uploads/boug-window.jpg"},
		{"https://images.example.de/files/resize/1080x720/es0520-348x289.png", "https://images.example.de/files/es0520-348x289.png"},
		{"https://example.com/uploads/harbour-vote-1024x768.jpg", "https://example.com/uploads/harbour-vote-300x200.jpg"},
		{"https://img.example.com/fit-in/800x0/filters:quality(80)/uploads/harbour-vote.webp", "https://img.example.com/uploads/harbour-vote.webp"},
		{"https://img1.cdn.example.com/cache/9f3e07c1a2b4d5e6/uploads/harbour-vote.jpg", "https://media.example.com/uploads/harbour-vote.jpg"},
		{"https://img1.cdn.example.com/media/cache/0a1b2c3d4e5f6071/image/39414?w=1080", "https://img2.cdn.example.com/media/cache/9f3e07c1a2b4d5e6/image/39414?w=320"},
	}
	for _, p := range same {
		if a, b := ImageKey(p[0]), ImageKey(p[1]); a != b {
			t.Errorf("ImageKey(%q) = %q, ImageKey(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	if a, b := ImageKey("https://cdn.example.com/a/photo-one.jpg"), ImageKey("https://cdn.example.com/a/photo-two.jpg"); a == b {
		t.Errorf("two pictures share the key %q", a)
	}
	if a, b := ImageKey("https://img1.cdn.example.com/media/image/39414"), ImageKey("https://img1.cdn.example.com/media/image/39415"); a == b {
		t.Errorf("two pictures by id share the key %q", a)
	}
}
