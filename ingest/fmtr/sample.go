package fmtr

import "embed"

// Sample is the Foreign Military Training Report for fiscal year 2013, all
// six regions, as scraped by Security Force Monitor (MIT licence,
// sample/LICENSE.md): real data shipped with imet so that the demo, and a
// new user, can see the import and its reconciliation without downloading
// anything. Every printed total of it reconciles exactly.
//
//go:embed sample/*.tsv sample/LICENSE.md
var Sample embed.FS
