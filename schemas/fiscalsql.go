package schemas

import (
	"regexp"
	"strings"
)

// fiscalMacros are the fiscal calendar's SQL macros as migration 0005
// defines them: name → (parameter, body).
var fiscalMacros = func() map[string][2]string {
	body, err := migrations.ReadFile("migrations/0005_metrics.sql")
	if err != nil {
		panic(err)
	}
	out := map[string][2]string{}
	def := regexp.MustCompile(`(?m)^CREATE MACRO (fiscal_\w+)\((\w+)\) AS (.+);$`)
	for _, m := range def.FindAllStringSubmatch(string(body), -1) {
		out[m[1]] = [2]string{m[2], m[3]}
	}
	return out
}()

var fiscalCall = regexp.MustCompile(`\b(fiscal_year_of|fiscal_quarter_of)\(([^()]*)\)`)

// ExpandFiscalMacros writes each call of the fiscal calendar's macros
// (fiscal_year_of, fiscal_quarter_of) in q as the macro's body, for a
// database that does not hold the macros: the published snapshot, on which
// imet serve runs a metric's unit query. A call whose argument has
// parentheses of its own is left as it is.
func ExpandFiscalMacros(q string) string {
	return fiscalCall.ReplaceAllStringFunc(q, func(call string) string {
		m := fiscalCall.FindStringSubmatch(call)
		def, ok := fiscalMacros[m[1]]
		if !ok {
			return call
		}
		param := regexp.MustCompile(`\b` + def[0] + `\b`)
		return "(" + param.ReplaceAllLiteralString(def[1], "("+strings.TrimSpace(m[2])+")") + ")"
	})
}
