# The front door: Debian's HAProxy with deploy/haproxy.cfg. Build from the repository's root.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends haproxy && rm -rf /var/lib/apt/lists/*
COPY deploy/haproxy.cfg /etc/haproxy/haproxy.cfg
EXPOSE 3000
CMD ["haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
