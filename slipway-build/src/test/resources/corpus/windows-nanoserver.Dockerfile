# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS build
WORKDIR C:\source
COPY . .
RUN dotnet publish -c Release `
    -o C:\app `
    --self-contained false

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR C:\app
COPY --from=build C:\app .
USER ContainerUser
ENTRYPOINT ["dotnet", "app.dll"]
