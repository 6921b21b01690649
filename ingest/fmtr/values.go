package fmtr

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	usDate   = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$`)
	isoDate  = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	quantity = regexp.MustCompile(`^(?:\d{1,3}(?:,\d{3})+|\d+)$`)
	cost     = regexp.MustCompile(`^\$?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$`)
)

// parseDate reads a report date: m/d/yyyy, m/d/yy (yy < 90 is 20yy, else
// 19yy) or, in Security Force Monitor's final dataset, yyyy-mm-dd. The date
// must exist in the calendar (2/30/2009 does not). It returns the date at
// midnight UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	var y, m, d int
	if g := usDate.FindStringSubmatch(s); g != nil {
		m, _ = strconv.Atoi(g[1])
		d, _ = strconv.Atoi(g[2])
		y, _ = strconv.Atoi(g[3])
		if len(g[3]) == 2 {
			if y >= 90 {
				y += 1900
			} else {
				y += 2000
			}
		}
	} else if g := isoDate.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// parseQuantity reads a count of trainees: 1, 901, 1,010.
func parseQuantity(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if !quantity.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n, err == nil
}

// parseCost reads a dollar amount as printed: "$27,778 ", "27778", "0 ",
// "$1,609,107", "12.50".
func parseCost(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !cost.MatchString(s) {
		return 0, false
	}
	s = strings.ReplaceAll(strings.TrimSpace(strings.TrimPrefix(s, "$")), ",", "")
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
