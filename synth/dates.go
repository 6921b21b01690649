package synth

import "time"

// day is a civil date as days since 1970-01-01. The generator works in days
// because every date it writes is a plain ISO date and integer arithmetic is
// much cheaper than time.Time in the per-event loop.
type day int32

const daysPerYear = 365.2425

// mkday converts a proleptic Gregorian date to a day number (Howard
// Hinnant's days_from_civil).
func mkday(y, m, d int) day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil is the inverse of mkday.
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return
}

func (d day) year() int { y, _, _ := d.civil(); return y }

// fiscalYear is the U.S. fiscal year holding d (FY N runs 1 Oct N-1 .. 30 Sep N).
func (d day) fiscalYear() int {
	y, m, _ := d.civil()
	if m >= 10 {
		return y + 1
	}
	return y
}

// fyStart and fyEnd bound U.S. fiscal year fy.
func fyStart(fy int) day { return mkday(fy-1, 10, 1) }
func fyEnd(fy int) day   { return mkday(fy, 9, 30) }

func dayOf(t time.Time) day {
	y, m, d := t.Date()
	return mkday(y, int(m), d)
}

// addYears moves d by a fractional number of years.
func (d day) addYears(y float64) day { return d + day(y*daysPerYear+0.5) }

// yearsUntil is the time from d to e in years.
func (d day) yearsUntil(e day) float64 { return float64(e-d) / daysPerYear }

// appendDate writes d as YYYY-MM-DD.
func appendDate(b []byte, d day) []byte {
	y, m, dd := d.civil()
	if y < 0 || y > 9999 {
		y = 0
	}
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+dd/10), byte('0'+dd%10))
}

func (d day) String() string { return string(appendDate(nil, d)) }

func minDay(a, b day) day {
	if a < b {
		return a
	}
	return b
}

func maxDay(a, b day) day {
	if a > b {
		return a
	}
	return b
}
