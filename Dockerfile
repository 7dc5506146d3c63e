# syntax=docker/dockerfile:1.7
# labcheck's own image: a static binary on distroless, run as non-root.
FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY cmd/ cmd/
COPY internal/ internal/
COPY policies/ policies/
COPY rules/ rules/
ARG VERSION=v0.1.0
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X github.com/labcheck/labcheck/internal/cli.Version=${VERSION}" -o /out/labcheck ./cmd/labcheck

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/labcheck /usr/local/bin/labcheck
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/labcheck"]
CMD ["."]
