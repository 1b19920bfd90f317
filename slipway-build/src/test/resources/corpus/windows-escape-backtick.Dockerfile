# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
ENV JAVA_HOME=C:\openjdk-21
RUN $newPath = ('{0}\bin;{1}' -f $env:JAVA_HOME, $env:PATH); `
    Write-Host ('Updating PATH: {0}' -f $newPath); `
    setx /M PATH $newPath
WORKDIR C:\app
COPY app.jar C:\app\app.jar
CMD ["java", "-jar", "C:\\app\\app.jar"]
