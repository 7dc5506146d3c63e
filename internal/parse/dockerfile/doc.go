// Package dockerfile turns a Dockerfile into the input the Docker lab's
// policies judge, using BuildKit's own parser: stages, base images with ARGs
// expanded, every instruction with its flags, arguments and lines. It judges
// nothing; a file BuildKit rejects comes back as a Problem with its line.
package dockerfile
