# syntax=docker/dockerfile:1
# verbatim: build with cargo, run as an unprivileged user on debian-slim.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependencies build in their own layer: it is reused until Cargo.lock changes.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src target/release/.fingerprint/verbatim-* target/release/deps/verbatim-* target/release/deps/libverbatim-*
COPY config ./config
# The embedding model is compiled into the binary (src/semantic.rs).
COPY model ./model
COPY src ./src
RUN cargo build --release --locked --bin verbatim

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20230311+deb12u1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin verbatim \
 && mkdir -p /app/data \
 && chown verbatim:verbatim /app/data
WORKDIR /app
COPY --from=build /src/target/release/verbatim /usr/local/bin/verbatim
# The bundled documents; mount your own folder over /app/corpus (read-only is fine).
COPY corpus /app/corpus
ENV VERBATIM__CORPUS__PATH=/app/corpus \
    VERBATIM__INDEX__PATH=/app/data/index \
    VERBATIM__DISCORD__PINS_FILE=/app/data/pins.jsonl \
    VERBATIM__DISCORD__HEALTH_FILE=/app/data/health.json \
    RUST_LOG=info
USER 10001:10001
VOLUME ["/app/data"]
# The bot shuts down cleanly on SIGTERM (what `docker stop` sends).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["verbatim", "healthcheck"]
ENTRYPOINT ["verbatim"]
CMD ["serve"]
