package cli

import "testing"

// Doubles print with six significant digits, but a large whole number
// keeps every digit: 2,734,736 dollars does not read as 2.73474e+06.
func TestTextOfDoubles(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   float64
		want string
	}{
		{2734736.4, "2734736"},
		{-228364381, "-228364381"},
		{999999.5, "1000000"},
		{38809.123, "38809.1"},
		{0.14285714, "0.142857"},
		{1, "1"},
		{1.5e20, "1.5e+20"},
		{0.00001234, "1.234e-05"},
	} {
		if got := text(c.in); got != c.want {
			t.Errorf("text(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
