// Package api is Briefsearch's HTTP layer on gin: routes (routes.go),
// thin handlers that bind parameters and call package index or search,
// RFC 9457 problem+json errors (problem.go: the one place error kinds
// become statuses) and a server with timeouts and graceful shutdown
// (server.go).
//
// Embed it in another program with API.Register on a gin router group, or
// API.Handler as a plain http.Handler; see the examples.
package api
