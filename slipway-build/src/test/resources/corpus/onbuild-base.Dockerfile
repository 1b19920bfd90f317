FROM python:3.12-slim AS onbuild
WORKDIR /usr/src/app
ONBUILD COPY requirements.txt /usr/src/app/
ONBUILD RUN pip install --no-cache-dir -r requirements.txt
ONBUILD COPY . /usr/src/app

# app inherits the triggers above
FROM onbuild AS app
CMD ["python", "app.py"]
