// count is a batch job: it reads lines from stdin, prints how many it
// read and exits 0. With --version it prints its version and exits at
// once, without reading stdin.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Println("count 1.0")
		return
	}
	n := 0
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		n++
	}
	fmt.Println(n)
}
