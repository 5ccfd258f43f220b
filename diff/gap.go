package diff

import (
	"fmt"
	"time"
)

// Gap says in words how long after the previous version a version came:
// "a few seconds later", "about a minute later", "25 minutes later",
// "about an hour later", "about 3 hours later", "a day later", "2 days
// later", "about a month later", "5 months later", "about a year later",
// "3 years later". Amounts are rounded to the nearest unit. A zero gap is
// "at the same time" and a negative one (a clock set back) is "earlier".
func Gap(d time.Duration) string {
	const (
		day   = 24 * time.Hour
		month = 30 * day
		year  = 365 * day
	)
	round := func(unit time.Duration) int { return int((d + unit/2) / unit) }
	switch {
	case d < 0:
		return "earlier"
	case d == 0:
		return "at the same time"
	case d < 45*time.Second:
		return "a few seconds later"
	case d < 90*time.Second:
		return "about a minute later"
	case d < 45*time.Minute:
		return fmt.Sprintf("%d minutes later", round(time.Minute))
	case d < 90*time.Minute:
		return "about an hour later"
	case d < 22*time.Hour:
		return fmt.Sprintf("about %d hours later", round(time.Hour))
	case d < 36*time.Hour:
		return "a day later"
	case d < 26*day:
		return fmt.Sprintf("%d days later", round(day))
	case d < 45*day:
		return "about a month later"
	case d < 320*day:
		return fmt.Sprintf("%d months later", round(month))
	case d < 548*day:
		return "about a year later"
	}
	return fmt.Sprintf("%d years later", round(year))
}
