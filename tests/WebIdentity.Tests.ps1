# Web identity credentials (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or a profile with role_arn and
# web_identity_token_file) against the local endpoint's AssumeRoleWithWebIdentity, with the built module in fresh child
# processes. AssumeRoleWithWebIdentity goes to AWS_ENDPOINT_URL_STS, through -Proxy (the SDK's own client went past it),
# and never to -EndpointUrl: the call is unsigned and carries the token, which is worth the role's credentials.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force -Function Start-TinyProxy, Get-ChildPwshCommand, Invoke-CapturedProcess
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "webid-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Force $script:Work | Out-Null
    # Fresh random tokens every run, so a leak can only come from this run.
    function New-Token([string]$Prefix) { $Prefix + [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(30)).Replace('+', 'p').Replace('/', 's').Replace('=', '') }
    $script:Token = New-Token 'wit'
    $script:UnknownToken = New-Token 'wix'
    $script:ExpiredToken = New-Token 'wie'
    $script:RejectedToken = New-Token 'wir'
    $script:Role = 'arn:aws:iam::123456789012:role/WebRunner'
    $definitions = Join-Path $script:Work 'definitions'
    New-TestDefinitions -Path $definitions
    $config = Join-Path $script:Work 'access.json'
    @{
        roles                    = @(@{ roleArn = $script:Role; actions = @('states:*'); webIdentityTokens = @($script:Token) })
        expiredWebIdentityTokens = @($script:ExpiredToken)
        rejectedWebIdentityTokens = @($script:RejectedToken)
    } | ConvertTo-Json -Depth 8 | Set-Content $config
    $script:Endpoint = Start-LocalEndpoint -Arguments @('--definitions', $definitions, '--config', $config)

    $script:TokenFile = Join-Path $script:Work 'token'
    Set-Content -Path $script:TokenFile -Value $script:Token -NoNewline
    $script:ConfigFile = Join-Path $script:Work 'config'
    Set-Content -Path $script:ConfigFile -Value @"
[profile web]
role_arn = $($script:Role)
web_identity_token_file = $($script:TokenFile)
role_session_name = from-profile
region = us-east-1
"@
    # The environment of a workload with a projected token (EKS, a CI runner), and no keys anywhere.
    function Get-WebEnvironment([string]$TokenFile = $script:TokenFile) {
        @{ AWS_WEB_IDENTITY_TOKEN_FILE = $TokenFile; AWS_ROLE_ARN = $script:Role; AWS_ROLE_SESSION_NAME = 'from-env'; AWS_ENDPOINT_URL_STS = $script:Endpoint.Url }
    }
    $script:ProfileEnvironment = @{ AWS_CONFIG_FILE = $script:ConfigFile; AWS_ENDPOINT_URL_STS = $script:Endpoint.Url }

    function Invoke-WebTask([hashtable]$Environment, [hashtable]$Set = @{}) {
        $arguments = Get-TaskArguments -Endpoint $script:Endpoint -Machine Hello -NoCredentials -Set $Set
        Invoke-TaskScript -Arguments $arguments -Environment $Environment -TimeoutSeconds 60
    }
    function Get-Count([string]$Operation) { $c = Get-EndpointCounters $script:Endpoint; if ($c.PSObject.Properties[$Operation]) { [int]$c.$Operation } else { 0 } }
    function Get-LastStartPrincipal { @((Invoke-RestMethod "$($script:Endpoint.Url)/_local/requests").requests | Where-Object operation -eq 'StartExecution')[-1].principalArn }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }
}

Describe 'Web identity credentials' {
    BeforeEach { Reset-EndpointCounters $script:Endpoint }

    It 'from AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: AssumeRoleWithWebIdentity at AWS_ENDPOINT_URL_STS, then the start signed by the role''s session' {
        $run = Invoke-WebTask -Environment (Get-WebEnvironment)
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.ExecutionArn | Should -BeLike 'arn:aws:states:us-east-1:123456789012:execution:Hello:*'
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 1
        Get-Count 'StartExecution' | Should -Be 1
        Get-LastStartPrincipal | Should -Be 'arn:aws:sts::123456789012:assumed-role/WebRunner/from-env'
    }

    It 'never sends the token to -EndpointUrl: without AWS_ENDPOINT_URL_STS it goes to the public STS, and the endpoint sees no call' {
        $environment = Get-WebEnvironment
        $environment.Remove('AWS_ENDPOINT_URL_STS')
        # Through a closed proxy (AssumeRoleWithWebIdentity follows -Proxy), so nothing can leave the machine even where AWS
        # is reachable.
        $proxy = "http://127.0.0.1:$(Get-ClosedPort)"
        $run = Invoke-WebTask -Environment $environment -Set @{ Proxy = $proxy; ProxyType = 'http' }
        $run.ExitCode | Should -Be 11 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "CONNECTION_ERROR: ProxyConnectionError: Failed to connect to proxy URL $proxy*"
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 0
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'from a profile with role_arn and web_identity_token_file: the same, with the profile''s session name' {
        $run = Invoke-WebTask -Environment $script:ProfileEnvironment -Set @{ ProfileName = 'web' }
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 1
        Get-LastStartPrincipal | Should -Be 'arn:aws:sts::123456789012:assumed-role/WebRunner/from-profile'
    }

    It 'with -Proxy: AssumeRoleWithWebIdentity goes through the proxy too' {
        $proxy = Start-TinyProxy -Directory (Join-Path $script:Work 'proxy') -Name 'webid'
        try {
            $run = Invoke-WebTask -Environment (Get-WebEnvironment) -Set @{ Proxy = $proxy.Url; ProxyType = 'http' }
            $run.ExitCode | Should -Be 0 -Because $run.Stdout
            Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 1
            Get-Count 'StartExecution' | Should -Be 1
            $log = $proxy.ReadLog()
            # Both requests, AssumeRoleWithWebIdentity and StartExecution, were forwarded by the proxy. (The token travels in
            # the body, which a plain-HTTP proxy necessarily sees; the log holds request lines only.)
            [regex]::Matches($log, "POST http://127\.0\.0\.1:$($script:Endpoint.Port)/").Count | Should -Be 2
        } finally { $proxy.Stop() }
    }

    It 'with a token STS does not accept (<Case>): exit 2 naming STS''s answer, nothing started' -ForEach @(
        # The SDK's STS client repeats InvalidIdentityToken within its retry budget (3 attempts), as it did for the SDK's
        # own web identity credentials: a token can reach STS before its issuer's keys do. An expired token is not repeated.
        @{ Case = 'invalid'; Code = 'InvalidIdentityToken'; Calls = 3 }
        @{ Case = 'expired'; Code = 'ExpiredTokenException'; Calls = 1 }
        @{ Case = 'rejected'; Code = 'IDPRejectedClaim'; Calls = 1 }
    ) {
        $file = Join-Path $script:Work "token-$Case"
        $token = @{ invalid = $script:UnknownToken; expired = $script:ExpiredToken; rejected = $script:RejectedToken }[$Case]
        Set-Content -Path $file -Value $token -NoNewline
        $run = Invoke-WebTask -Environment (Get-WebEnvironment $file)
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "AUTHENTICATION_ERROR: *$Code*"
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be $Calls
        Get-Count 'StartExecution' | Should -Be 0
        ($run.Stdout + $run.Stderr).Contains($token) | Should -BeFalse
    }

    It 'with a token file that does not exist, or is empty (<Case>): exit 2 naming the file, and STS is not asked' -ForEach @(
        @{ Case = 'missing' }
        @{ Case = 'empty' }
    ) {
        $file = Join-Path $script:Work "token-file-$Case"
        if ($Case -eq 'empty') { Set-Content -Path $file -Value '' }
        $run = Invoke-WebTask -Environment (Get-WebEnvironment $file)
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "AUTHENTICATION_ERROR: *web identity token file '$file'*"
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 0
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'with an AWS_ROLE_SESSION_NAME STS would refuse (<Name>): exit 20 naming the variable and the rule, and STS is not asked' -ForEach @(
        @{ Name = 'x' }
        @{ Name = 'has space' }
    ) {
        # Before: the SDK's web identity source refused it inside the default chain, which then said only "No AWS credentials
        # were found (... The value must match...)", exit 2.
        $environment = Get-WebEnvironment
        $environment.AWS_ROLE_SESSION_NAME = $Name
        $run = Invoke-WebTask -Environment $environment
        $run.ExitCode | Should -Be 20 -Because $run.Stdout
        $run.Json.status_description | Should -Be "DATA_VALIDATION_ERROR: AWS_ROLE_SESSION_NAME '$Name' must be 2-64 characters of letters, digits and + = , . @ - _."
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 0
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'a runbook that points AWS_WEB_IDENTITY_TOKEN_FILE at another file mid-session gets the new file on its next call' {
        # The session's client cache kept the first call's source (and its file) for the same settings.
        $child = {
            param($Manifest, $Url, $Machine, $GoodFile)
            Import-Module $Manifest
            try { $null = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -ErrorAction Stop; 'first: started' }
            catch { "first: $($_.Exception.Message)" }
            $env:AWS_WEB_IDENTITY_TOKEN_FILE = $GoodFile
            try { 'second: ' + (Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -ErrorAction Stop).result.status }
            catch { "second: $($_.Exception.Message)" }
        }
        $missing = Join-Path $script:Work 'token-not-yet-there'
        $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command',
            "& { $child } '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)' '$($script:TokenFile)'")
        $clean = @{ AWS_EC2_METADATA_DISABLED = 'true'; AWS_CONFIG_FILE = (Join-Path $script:Work 'no-config'); AWS_SHARED_CREDENTIALS_FILE = (Join-Path $script:Work 'no-credentials')
            AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_PROFILE = $null; AWS_ENDPOINT_URL = $null }
        $run = Invoke-CapturedProcess -Command $command -Environment ($clean + (Get-WebEnvironment $missing)) -TimeoutSeconds 120
        $lines = $run.StdOut -split "\r?\n" | Where-Object { $_ }
        $lines[0] | Should -BeLike "first: *web identity token file '$missing'*" -Because $run.StdErr
        $lines[1] | Should -Be 'second: RUNNING' -Because ($run.StdOut + $run.StdErr)
        Get-Count 'AssumeRoleWithWebIdentity' | Should -Be 1
        Get-Count 'StartExecution' | Should -Be 1
    }
}

Describe 'Web identity in -Verbose and -Debug' {
    It 'names web identity, the role and the STS URL, traces the STS call, and never shows the token (success and refusal)' {
        $child = {
            param($Manifest, $Url, $Machine)
            Import-Module $Manifest
            $DebugPreference = 'Continue'
            $all = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -Wait -Verbose -Debug *>&1
            $all | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String } else { $_ | Format-List * -Force | Out-String; "$_" } }
            $Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
        }
        $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command', "& { $child } '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)'")
        $clean = @{ AWS_EC2_METADATA_DISABLED = 'true'; AWS_CONFIG_FILE = (Join-Path $script:Work 'no-config'); AWS_SHARED_CREDENTIALS_FILE = (Join-Path $script:Work 'no-credentials')
            AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_PROFILE = $null; AWS_ENDPOINT_URL = $null }
        $success = Invoke-CapturedProcess -Command $command -Environment ($clean + (Get-WebEnvironment)) -TimeoutSeconds 120
        $refusedFile = Join-Path $script:Work 'token-refused-debug'
        Set-Content -Path $refusedFile -Value $script:UnknownToken -NoNewline
        $refused = Invoke-CapturedProcess -Command $command -Environment ($clean + (Get-WebEnvironment $refusedFile)) -TimeoutSeconds 120
        $successText = $success.StdOut + $success.StdErr
        $refusedText = $refused.StdOut + $refused.StdErr

        $successText | Should -Match ([regex]::Escape("web identity (AWS_WEB_IDENTITY_TOKEN_FILE) (AssumeRoleWithWebIdentity $($script:Role) with the token in $($script:TokenFile), at $($script:Endpoint.Url))"))
        $successText | Should -Match ([regex]::Escape("AssumeRoleWithWebIdentity $($script:Role) (session from-env, token from $($script:TokenFile))"))
        $successText | Should -Match 'AssumeRoleWithWebIdentity answered in [0-9.]+ ms'
        $refusedText | Should -Match 'AssumeRoleWithWebIdentity failed after [0-9.]+ ms: InvalidIdentityTokenException'
        $successText.Contains($script:Token) | Should -BeFalse -Because 'the token must never be shown'
        $refusedText.Contains($script:UnknownToken) | Should -BeFalse -Because 'a refused token must never be shown either'
        # And the task wrapper's own output.
        $task = Invoke-WebTask -Environment (Get-WebEnvironment $refusedFile)
        ($task.Stdout + $task.Stderr).Contains($script:UnknownToken) | Should -BeFalse
    }
}
