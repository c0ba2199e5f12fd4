# syntax=docker/dockerfile:1

# Build a static binary. `okrbot version` prints VERSION:
#   docker build --build-arg VERSION=v1.2.0 -t okrbot .
# (unset: "dev"). .git is not in the build context, so the commit shows as
# "unknown" in images.
FROM golang:1.26-alpine AS build
ARG VERSION
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/okrbot ./cmd/okrbot

# A small, non-root final image. distroless/static has CA certificates and
# timezone data, which okrbot needs for Slack (TLS) and per-person timezones.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/okrbot /okrbot
USER nonroot:nonroot
ENV OKRBOT_HTTP_ADDR=:8080 \
    OKRBOT_LOG_FORMAT=json
EXPOSE 8080
# The image has no shell or curl: okrbot checks itself. `okrbot healthcheck`
# asks GET /readyz, so the container is healthy only while Redis answers and
# the Slack socket is up (a refused token stops okrbot with exit status 2).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/okrbot", "healthcheck"]
ENTRYPOINT ["/okrbot"]
