package extract

import "testing"

func TestDropPrompts(t *testing.T) {
	names := siteNames("Valley Courier", []string{"www.valleycourier.example"})
	prose := "The council has spent two years building the warning system with the national weather service, which measures the river at eleven gauges."
	tests := []struct {
		name, last string
		dropped    bool
	}{
		{"site's app by its name", "Download the Valley Courier app for iOS and Android.", true},
		{"site's channel in Spanish", "¡Mira lo que tiene nuestro canal de YouTube!", true},
		{"host's name and newsletter", "Never miss a story from ValleyCourier: subscribe to the newsletter.", true},
		{"another's app", "Residents can download the council's free app for iOS and Android.", false},
		{"one cue", "Follow the signs to the shelter at the school.", false},
		{"long paragraph", "Follow our reporting on the floods: we will publish the council's figures for every street, with the gauges' readings, as soon as the county hands them over, and our newsletter will carry them each morning, alongside the warnings the weather service issues for the valley.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := textBlocks(prose + "\n" + prose + "\n" + prose + "\n" + prose + "\n" + tt.last)
			got := dropPrompts(blocks, names)
			if dropped := len(got) < len(blocks); dropped != tt.dropped {
				t.Errorf("dropPrompts(…, %q) dropped it = %v, want %v", tt.last, dropped, tt.dropped)
			}
		})
	}
}
