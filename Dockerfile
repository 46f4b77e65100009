# Production-like image: a static binary on a small base. Templates, assets,
# migrations and seed data are embedded in the binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /cadrestats ./cmd/cadrestats

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 cadrestats
COPY --from=build /cadrestats /usr/local/bin/cadrestats
USER cadrestats
EXPOSE 8080
ENV CADRESTATS_ADDR=0.0.0.0:8080 CADRESTATS_LOG_FORMAT=json
ENTRYPOINT ["/usr/local/bin/cadrestats"]
CMD ["serve"]
