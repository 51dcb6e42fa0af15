// Pinned third-party Go tools for the e2e checks (a module of its own, so the
// shownotes module's go.mod stays free of them). Built by e2e/install.sh:
//   cd e2e/gotools && go build -o ../.bin/htmltest github.com/wjdp/htmltest
// ('go install github.com/wjdp/htmltest@v0.17.0' does not work: the proxy
// refuses its version list.)
module shownotes/e2e/gotools

go 1.25.0

tool github.com/wjdp/htmltest

require (
	github.com/badoux/checkmail v1.2.1 // indirect
	github.com/docopt/docopt-go v0.0.0-20180111231733-ee0de3bc6815 // indirect
	github.com/fatih/color v1.10.0 // indirect
	github.com/imdario/mergo v0.3.11 // indirect
	github.com/mattn/go-colorable v0.1.8 // indirect
	github.com/mattn/go-isatty v0.0.12 // indirect
	github.com/wjdp/htmltest v0.17.0 // indirect
	golang.org/x/net v0.57.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	gopkg.in/seborama/govcr.v2 v2.4.2 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
)
