package web

import (
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
)

func TestWithhold(t *testing.T) {
	cases := []struct {
		name string
		in   []any
		want []any
	}{
		{"none small", []any{int64(9), int64(12), int64(30)}, []any{int64(9), int64(12), int64(30)}},
		// one withheld: the next smallest goes too, or the total gives it away
		{"one small", []any{int64(3), int64(12), int64(8), int64(30)}, []any{withheld, int64(12), withheld, int64(30)}},
		{"two small", []any{int64(3), int64(1), int64(8)}, []any{withheld, withheld, int64(8)}},
		{"zero shown", []any{int64(0), int64(7)}, []any{int64(0), int64(7)}},
		{"floats count too", []any{4.0, 20.0, nil}, []any{withheld, withheld, nil}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := &Table{Columns: []Column{{Name: "label"}, {Name: "n", Count: true}, {Name: "value", Unit: "share"}}}
			for i, v := range c.in {
				tb.Rows = append(tb.Rows, []any{"r", v, 0.5 + float64(i)})
			}
			tb.withhold(5)
			for i, row := range tb.Rows {
				if !reflect.DeepEqual(row[1], c.want[i]) {
					t.Errorf("row %d: n = %v, want %v", i, row[1], c.want[i])
				}
				if row[2] != 0.5+float64(i) {
					t.Errorf("row %d: a column that is not a count changed: %v", i, row[2])
				}
			}
		})
	}
}

func TestArrange(t *testing.T) {
	mk := func() *Table {
		return &Table{Name: "t", Sortable: true, PageSize: 2,
			Columns: []Column{{Name: "name"}, {Name: "n", Unit: "count"}},
			Rows:    [][]any{{"Chile", int64(30)}, {"Benin", nil}, {"Angola", int64(4)}, {"Chad", int64(100)}}}
	}
	cases := []struct {
		query string
		want  []string // first column, in order, before paging
		page  []string // what the HTML's page shows
		err   bool
	}{
		{"sort=n", []string{"Angola", "Chile", "Chad", "Benin"}, []string{"Angola", "Chile"}, false},
		{"sort=n&desc=1", []string{"Chad", "Chile", "Angola", "Benin"}, []string{"Chad", "Chile"}, false},
		{"sort=name&page=2", []string{"Angola", "Benin", "Chad", "Chile"}, []string{"Chad", "Chile"}, false},
		{"filter=ch", []string{"Chile", "Chad"}, []string{"Chile", "Chad"}, false},
		{"sort=nope", nil, nil, true},
		{"page=0", nil, nil, true},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			tb := mk()
			q, _ := url.ParseQuery(c.query)
			err := tb.arrange(q)
			if (err != nil) != c.err {
				t.Fatalf("err = %v, want error %v", err, c.err)
			}
			if c.err {
				return
			}
			if got := firsts(tb.Rows); !reflect.DeepEqual(got, c.want) {
				t.Errorf("rows %v, want %v", got, c.want)
			}
			if got := firsts(tb.shown()); !reflect.DeepEqual(got, c.page) {
				t.Errorf("shown %v, want %v", got, c.page)
			}
		})
	}
}

func firsts(rows [][]any) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[0].(string))
	}
	return out
}

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		site, origin string
		want         bool
	}{
		{"same-origin", "", true},
		{"cross-site", "", false},
		{"same-site", "", false}, // another port of the same host is another site's page
		{"", "http://example.test", true},
		{"", "http://evil.example", false},
		{"", "", true}, // not a browser: the token decides
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "http://example.test/api/sql", nil)
		if c.site != "" {
			r.Header.Set("Sec-Fetch-Site", c.site)
		}
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if got := sameOrigin(r); got != c.want {
			t.Errorf("Sec-Fetch-Site %q, Origin %q: %v, want %v", c.site, c.origin, got, c.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:80": true, "localhost:0": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.4:80": false, "nonsense": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
