# Another AWSSDK.Core (4.0.3.3, same assembly version 4.0.0.0 as ours) is loaded into the session first,
# the way AWS.Tools would; then the module is imported and used. Both must keep working (PowerShell 7).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $project = Join-Path $PSScriptRoot 'coexistence/OtherAwsSdkCore.csproj'
    & dotnet restore $project -v q | Out-Null
    if ($LASTEXITCODE) { throw "dotnet restore $project failed ($LASTEXITCODE)" }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:OtherSdk = Join-Path $packages 'awssdk.core/4.0.3.3/lib/net8.0/AWSSDK.Core.dll'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "coexist-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Beside another AWSSDK.Core' {
    It 'imports and runs an execution, and the other AWSSDK.Core keeps working' {
        $script:OtherSdk | Should -Exist
        # A fresh pwsh: the other SDK must be in the session BEFORE the module, which the test session cannot guarantee.
        $child = {
            param($OtherSdk, $Manifest, $Url, $Machine)
            $ErrorActionPreference = 'Stop'
            Add-Type -Path $OtherSdk
            $otherAssembly = [Amazon.Runtime.BasicAWSCredentials].Assembly
            Import-Module $Manifest
            $key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', (ConvertTo-SecureString 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -AsPlainText -Force))
            $out = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -Credential $key -Wait -PollingInterval 0.2
            $sdks = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' }
            $ours = $sdks | Where-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name -eq 'DependencyLoadContext' }
            # The other SDK still works after ours has been loaded and used.
            $otherStillWorks = [Amazon.Runtime.BasicAWSCredentials]::new('AKIAOTHER0000000000', 'other').GetCredentials().AccessKey
            [pscustomobject]@{
                ExitCode        = $out.exit_code
                Status          = $out.result.Status
                SdkCount        = @($sdks).Count
                OtherLocation   = $otherAssembly.Location
                OtherContext    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($otherAssembly).Name
                OursLocation    = $ours.Location
                OursFileVersion = [Diagnostics.FileVersionInfo]::GetVersionInfo($ours.Location).FileVersion
                OtherStillWorks = $otherStillWorks
            } | ConvertTo-Json -Compress
        }
        $command = "& { $child } '$($script:OtherSdk)' '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)'"
        $text = & (Get-PwshPath) -NoProfile -NonInteractive -Command $command
        $LASTEXITCODE | Should -Be 0 -Because "$text"
        $result = $text | ConvertFrom-Json
        $result.ExitCode | Should -Be 0
        $result.Status | Should -Be 'SUCCEEDED'
        $result.SdkCount | Should -Be 2
        $result.OtherLocation | Should -Be $script:OtherSdk
        $result.OtherContext | Should -Be 'Default'
        # Ours comes from the module's deps: the IL copy, or its ReadyToRun image for this platform (tools/Build-Module.ps1).
        $result.OursLocation | Should -BeIn @(
            [IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', 'AWSSDK.Core.dll'),
            [IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', 'linux-x64', 'AWSSDK.Core.dll'),
            [IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', 'win-x64', 'AWSSDK.Core.dll'))
        $result.OursFileVersion | Should -Not -Be ([Diagnostics.FileVersionInfo]::GetVersionInfo($script:OtherSdk).FileVersion)
        $result.OtherStillWorks | Should -Be 'AKIAOTHER0000000000'
    }
}
