//go:build !unix

package devserver

// lockDataDir is a no-op where flock is unavailable: sharing a data dir
// between two servers is then only prevented by the frontend port check.
func lockDataDir(dir string) (unlock func(), err error) {
	return func() {}, nil
}
