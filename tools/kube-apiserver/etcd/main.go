// Command etcd is etcd's server entry point, built from go.etcd.io/etcd/server/v3 (the etcd
// repository's own main module points its siblings at ../ with replace directives).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
