# Another AWS SDK (AWSSDK.Core 4.0.3.3 with its AWSSDK.SecurityToken 4.0.5.1; every 4.x Core has assembly version 4.0.0.0,
# as ours does) is loaded into the session first, the way AWS.Tools would; then the module is imported and used. Both must
# keep working, each in its own load context (PowerShell 7).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $project = Join-Path $PSScriptRoot 'coexistence/OtherAwsSdkCore.csproj'
    & dotnet restore $project -v q | Out-Null
    if ($LASTEXITCODE) { throw "dotnet restore $project failed ($LASTEXITCODE)" }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:OtherSdk = Join-Path $packages 'awssdk.core/4.0.3.3/lib/net8.0/AWSSDK.Core.dll'
    $script:OtherSts = Join-Path $packages 'awssdk.securitytoken/4.0.5.1/lib/net8.0/AWSSDK.SecurityToken.dll'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "coexist-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Beside another AWSSDK.Core' {
    It 'imports and runs an execution, and then the other SDK still makes a signed STS call of its own' {
        $script:OtherSdk | Should -Exist
        $script:OtherSts | Should -Exist
        # A fresh pwsh: the other SDK must be in the session BEFORE the module, which the test session cannot guarantee.
        $child = {
            param($OtherSdk, $OtherSts, $Manifest, $Url, $Machine)
            $ErrorActionPreference = 'Stop'
            Add-Type -Path $OtherSdk
            Add-Type -Path $OtherSts
            Import-Module $Manifest
            $key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', (ConvertTo-SecureString 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -AsPlainText -Force))
            # -RoleArn: the module uses its own AWSSDK.SecurityToken too (AssumeRole at the same endpoint), so both SDKs
            # have both assemblies loaded under the same names.
            $out = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -Credential $key -RoleArn 'arn:aws:iam::123456789012:role/Runner' -Wait -PollingInterval 0.2
            # Then the other SDK does real work: GetCallerIdentity, signed with SigV4 by its own Core and checked by the
            # endpoint, as a user other than the module's, so the ARN can only come from this call.
            $config = [Amazon.SecurityToken.AmazonSecurityTokenServiceConfig]::new()
            $config.ServiceURL = $Url
            $config.AuthenticationRegion = 'us-east-1'
            $reader = [Amazon.Runtime.BasicAWSCredentials]::new('AKIAREADERONLY000001', 'readerSecretKey/Example0000000000000000')
            $sts = [Amazon.SecurityToken.AmazonSecurityTokenServiceClient]::new($reader, $config)
            $identity = $sts.GetCallerIdentityAsync([Amazon.SecurityToken.Model.GetCallerIdentityRequest]::new()).GetAwaiter().GetResult()
            $default = [System.Runtime.Loader.AssemblyLoadContext]::Default
            [pscustomobject]@{
                ExitCode      = $out.exit_code
                Status        = $out.result.Status
                CallerArn     = $identity.Arn
                # The Core the other STS client runs on (its base class, AmazonServiceClient, lives there).
                OtherStsCore  = $sts.GetType().BaseType.Assembly.Location
                Sdk           = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'AWSSDK*' } | ForEach-Object {
                        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_)
                        [pscustomobject]@{
                            Name        = $_.GetName().Name
                            Context     = if ($context -eq $default) { 'Default' } else { $context.GetType().Name }
                            Location    = $_.Location
                            FileVersion = [Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion
                        }
                    })
            } | ConvertTo-Json -Compress -Depth 4
        }
        $command = "& { $child } '$($script:OtherSdk)' '$($script:OtherSts)' '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)'"
        # stderr too, so a failing child (a refused signature, a type that did not load) says why.
        $lines = & (Get-PwshPath) -NoProfile -NonInteractive -Command $command 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $result = @($lines | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) -join "`n" | ConvertFrom-Json
        $result.ExitCode | Should -Be 0
        $result.Status | Should -Be 'SUCCEEDED'
        $result.CallerArn | Should -Be 'arn:aws:iam::123456789012:user/reader' -Because 'the endpoint names the user whose signature it verified'
        $result.OtherStsCore | Should -Be $script:OtherSdk -Because 'the other STS client must run on the other Core, not on ours'

        # The other SDK's two assemblies stayed in the default context, loaded from the other packages...
        $others = @($result.Sdk | Where-Object Context -eq 'Default')
        @($others.Name | Sort-Object) | Should -Be @('AWSSDK.Core', 'AWSSDK.SecurityToken')
        ($others | Where-Object Name -eq 'AWSSDK.Core').Location | Should -Be $script:OtherSdk
        ($others | Where-Object Name -eq 'AWSSDK.SecurityToken').Location | Should -Be $script:OtherSts
        # ...and ours, the same two names, are in the module's own context, from its deps: the IL copy, or its ReadyToRun
        # image for this platform (tools/Build-Module.ps1). Nothing else of the SDK is loaded anywhere.
        $ours = @($result.Sdk | Where-Object Context -eq 'DependencyLoadContext')
        @($ours.Name | Sort-Object) | Should -Be @('AWSSDK.Core', 'AWSSDK.SecurityToken')
        @($result.Sdk).Count | Should -Be 4
        foreach ($assembly in $ours) {
            $assembly.Location | Should -BeIn @(
                [IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', "$($assembly.Name).dll"),
                [IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', 'linux-x64', "$($assembly.Name).dll"),
                [IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', 'win-x64', "$($assembly.Name).dll"))
        }
        ($ours | Where-Object Name -eq 'AWSSDK.Core').FileVersion | Should -Not -Be ($others | Where-Object Name -eq 'AWSSDK.Core').FileVersion
    }
}
