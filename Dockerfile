# The ML Interview Lab, one replica: `docker build -t ml-interview-lab .`
# Several replicas behind HAProxy with sticky sessions: `docker compose up` (compose.yaml).
FROM python:3.11-slim

# LightGBM needs the GNU OpenMP runtime, which the slim image leaves out.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 lab
COPY --chown=lab:lab . .
RUN pip install --no-deps -e .
USER lab
# Every lesson's default and presets, computed into the image: an instructor's link opens at once
# on any replica (ui/precompute.py; a change in core makes a new version of this store).
RUN LAB_PRECOMPUTE=0 python -m ui.precompute

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"

# STREAMLIT_SERVER_COOKIE_SECRET must be the same on every replica (compose.yaml sets it).
CMD ["python", "-m", "streamlit", "run", "streamlit_app.py", \
     "--server.port=8501", "--server.address=0.0.0.0"]
