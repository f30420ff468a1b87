/**
 * @module Go launches a README writes: `go run` of the checkout's program (`go run
 * cmd/mcp-stdio/main.go`, `go run ./cmd/server`) or of a module at a version.
 */

/** A Go module path at a version (`github.com/o/r/cmd/x@latest`). */
const GO_MODULE_RE = /^[a-z0-9.-]+\.[a-z]{2,}\/[^\s@]+@[\w.+-]+$/i;

/**
 * Whether `go ARGS` runs a server program from source: `run` and then a `.go` file, a relative
 * package path or a versioned module (flags after the package are the server's).
 * @param args the words after `go`
 */
export function goRunsSource(args: string[]): boolean {
  if (args[0] !== "run") return false;
  const target = args.slice(1).find((a) => !a.startsWith("-"));
  return !!target &&
    (/\.go$/.test(target) || /^\.{1,2}\//.test(target) || GO_MODULE_RE.test(target));
}
