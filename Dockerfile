# Multi-stage build of the danvan binary; runs as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/danvan ./cmd/danvan

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/danvan --create-home danvan
COPY --from=build /out/danvan /usr/local/bin/danvan
USER danvan
WORKDIR /var/lib/danvan
ENV DANVAN_HTTP_ADDR=0.0.0.0:8080 DANVAN_DATA_DIR=/var/lib/danvan
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s CMD ["/usr/local/bin/danvan", "health", "-url", "http://127.0.0.1:8080"]
ENTRYPOINT ["/usr/local/bin/danvan"]
CMD ["serve"]
