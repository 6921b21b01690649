//go:build unix

package main

import "syscall"

// restrictUmask makes the files DuckDB creates itself (the warehouse's WAL
// while a writer runs, spill files) the owner's only. What imet writes has
// its mode set explicitly anyway (docs/operating.md, "Personal data at
// rest"); this covers the rest.
func restrictUmask() { syscall.Umask(syscall.Umask(0) | 0o077) }
