package fmtr

import "embed"

// Sample is the Foreign Military Training Reports for fiscal years 2013 and
// 2017, all six regions each, as scraped by Security Force Monitor (MIT
// licence, sample/LICENSE.md, files listed in sample/README.md): real data
// shipped with imet so that the demo, and a new user, can see the import,
// its reconciliation and a trend across years without downloading
// anything. Every printed total of FY2013 reconciles exactly.
//
//go:embed sample/*.tsv sample/LICENSE.md
var Sample embed.FS
