// Package webtest holds the end-to-end tests of `imet serve`: handler
// tests over a demo workspace, the security tests, the browser test in
// Chromium, the screenshots of docs/serve.md and the page benchmark. They
// sit in a package of their own, beside cmd/internal/cli, because they
// need the CLI to make a workspace and web to serve it, and so that they
// run beside the CLI's tests rather than after them. It has no code
// outside its tests.
package webtest
