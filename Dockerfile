# Outreach — container image (built where a Docker engine is available).
#   docker build -t outreach .
#   docker run --network host -v outreach-data:/var/lib/outreach \
#     -e OUTREACH_DATABASE=postgres://... -e OUTREACH_REDIS=redis://... \
#     outreach serve --config /etc/outreach/outreach.yaml
# Host networking keeps SIP and the RTP port range (rtp.port_min..port_max)
# reachable without NAT rewriting; otherwise publish them and set
# sip.public_addr.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/outreach ./cmd/outreach

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/outreach outreach
COPY --from=build /out/outreach /usr/local/bin/outreach
COPY config/example.yaml /etc/outreach/outreach.yaml
COPY scripts/samples /usr/share/outreach/scripts
USER outreach
WORKDIR /var/lib/outreach
ENV OUTREACH_DATA_DIR=/var/lib/outreach
EXPOSE 5080/udp 5080/tcp 8080/tcp
ENTRYPOINT ["/usr/local/bin/outreach"]
CMD ["serve", "--config", "/etc/outreach/outreach.yaml"]
