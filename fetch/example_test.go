package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/stet-archive/stet/fetch"
)

func ExampleClient_Get() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte("<p>Caf\xe9</p>")) // "Café" in windows-1252
	}))
	defer site.Close()

	// AllowPrivate only because the example server is on loopback.
	c := fetch.New(fetch.Options{AllowPrivate: true})
	ctx := context.Background()
	p, err := c.Get(ctx, fetch.Request{URL: site.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d %s %s %s\n", p.Status, p.Charset, p.ETag, p.Body)

	p, err = c.Get(ctx, fetch.Request{URL: site.URL, ETag: p.ETag})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("not modified:", p.NotModified)
	// Output:
	// 200 windows-1252 "v1" <p>Café</p>
	// not modified: true
}

func ExampleClient_Get_privateAddress() {
	site := httptest.NewServer(http.NotFoundHandler())
	defer site.Close()

	c := fetch.New(fetch.Options{}) // the default refuses loopback and private networks
	_, err := c.Get(context.Background(), fetch.Request{URL: site.URL})
	fmt.Println(errors.Is(err, fetch.ErrPrivateAddress))
	// Output: true
}
