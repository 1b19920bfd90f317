FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG TARGETARCH
WORKDIR /source
COPY --link aspnetapp/*.csproj .
RUN dotnet restore -a $TARGETARCH
COPY --link aspnetapp/. .
RUN dotnet publish --no-restore -a $TARGETARCH -o /app

FROM mcr.microsoft.com/dotnet/aspnet:8.0
EXPOSE 8080
WORKDIR /app
COPY --link --from=build /app .
USER $APP_UID
ENTRYPOINT ["./aspnetapp"]
