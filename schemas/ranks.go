package schemas

import (
	"fmt"
	"regexp"
	"strings"
)

// RankCodes lists the NATO rank codes in their order for comparisons:
// OR-1 < … < OR-9 < WO-1 < … < WO-5 < OF-1 < … < OF-10. CIV (civilian,
// unranked) comes last and has no order.
var RankCodes = func() []string {
	var out []string
	for _, g := range []struct {
		prefix string
		n      int
	}{{"OR", 9}, {"WO", 5}, {"OF", 10}} {
		for i := 1; i <= g.n; i++ {
			out = append(out, fmt.Sprintf("%s-%d", g.prefix, i))
		}
	}
	return append(out, "CIV")
}()

// FirstGeneralRank is the first general/flag rank.
const FirstGeneralRank = "OF-6"

// RankOrder is the position of a rank code in the comparison order (1 for
// OR-1 … 24 for OF-10), 0 for CIV or an unknown code.
func RankOrder(code string) int {
	if code == "CIV" {
		return 0
	}
	for i, c := range RankCodes {
		if c == code {
			return i + 1
		}
	}
	return 0
}

var rankPattern = regexp.MustCompile(`^(OR|WO|OF)\s*-?\s*(\d{1,2})$`)

// NormalizeRank accepts `OF6`, `of-6` and `OF 6` as `OF-6`; it returns false
// for anything that is not a NATO rank code.
func NormalizeRank(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "CIV" {
		return s, true
	}
	m := rankPattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	code := m[1] + "-" + strings.TrimLeft(m[2], "0")
	return code, RankOrder(code) > 0
}

// RankNormalizeSQL is the SQL twin of NormalizeRank, for set-based
// validation (a code that is not a rank comes out upper-cased, to be
// rejected); a test holds the two to the same answers.
func RankNormalizeSQL(expr string) string {
	// Most values are already canonical: skip the regular expression for them.
	ranks := "['" + strings.Join(RankCodes, "', '") + "']"
	return fmt.Sprintf(`CASE WHEN list_contains(%[2]s, %[1]s) THEN %[1]s ELSE regexp_replace(upper(trim(%[1]s)), '^(OR|WO|OF)\s*-?\s*0*(\d{1,2})$', '\1-\2') END`, expr, ranks)
}
