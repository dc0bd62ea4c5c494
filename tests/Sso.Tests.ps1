# IAM Identity Center (SSO) profiles against the local endpoint's portal and SSO OIDC, with the built module in fresh
# child processes: an ~/.aws/config profile (sso_session or legacy sso_start_url) in a temporary AWS_CONFIG_FILE, the
# sign-in `aws sso login` would have cached in a temporary HOME's ~/.aws/sso/cache/<sha1>.json, and the task wrapper.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force -Function Start-TinyProxy, Get-ChildPwshCommand, Invoke-CapturedProcess
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "sso-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Force $script:Work | Out-Null
    # Fresh random secrets every run, so a leak can only come from this run.
    function New-Token([string]$Prefix) { $Prefix + [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(30)).Replace('+', 'p').Replace('/', 's').Replace('=', '') }
    $script:Tokens = [ordered]@{
        'access token'         = New-Token 'aoa'
        'refused access token' = New-Token 'aox'
        'expired access token' = New-Token 'aoe'
        'refresh token'        = New-Token 'aor'
        'client secret'        = New-Token 'cs-'
    }
    $script:ClientId = 'sso-tests-client'
    $script:Definitions = $definitions = Join-Path $script:Work 'definitions'
    New-TestDefinitions -Path $definitions
    $script:AccessConfig = $config = Join-Path $script:Work 'access.json'
    @{
        ssoUsers   = @(@{
                name = 'alice'; accessTokens = @($script:Tokens['access token']); refreshTokens = @($script:Tokens['refresh token'])
                assignments = @(
                    @{ accountId = '123456789012'; roleName = 'Runner'; actions = @('states:*') }
                    @{ accountId = '123456789012'; roleName = 'Assumer'; actions = @('sts:AssumeRole') }
                )
            })
        # An IAM role that an Identity Center session may assume (the role profile's case).
        roles      = @(@{ roleArn = 'arn:aws:iam::123456789012:role/Worker'; actions = @('states:*') })
        ssoClients = @(@{ clientId = $script:ClientId; clientSecret = $script:Tokens['client secret'] })
    } | ConvertTo-Json -Depth 8 | Set-Content $config
    $script:Endpoint = Start-LocalEndpoint -Arguments @('--definitions', $definitions, '--config', $config, '--time-scale', '10')
    $script:StartUrl = 'https://sso-tests.awsapps.com/start'
    $script:LegacyStartUrl = 'https://sso-legacy.awsapps.com/start'
    $script:AwsConfig = Join-Path $script:Work 'aws-config'
    @"
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Runner
region = us-east-1

[profile unassigned]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
region = us-east-1

[profile legacy]
sso_start_url = $($script:LegacyStartUrl)
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Runner

[profile ssoassumer]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Assumer
region = us-east-1

[profile worker]
role_arn = arn:aws:iam::123456789012:role/Worker
source_profile = ssoassumer
region = us-east-1

[sso-session corp]
sso_start_url = $($script:StartUrl)
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"@ | Set-Content $script:AwsConfig

    function Get-Sha1Hex([string]$Text) { -join ([Security.Cryptography.SHA1]::HashData([Text.Encoding]::UTF8.GetBytes($Text)) | ForEach-Object { $_.ToString('x2') }) }

    <#
    A HOME of its own with the cached sign-in: the file named as the AWS CLI names it (SHA-1 of the sso_session name, or
    of the start URL for -Legacy). -Refreshable adds what a refresh needs. Returns the child's environment and the file.
    #>
    function New-SsoHome {
        param([string]$AccessToken, [datetime]$ExpiresAt, [switch]$Refreshable, [string]$RefreshToken = $script:Tokens['refresh token'], [switch]$Legacy, [switch]$NoCache,
            [switch]$PublicPortal)
        $homeDir = Join-Path $script:Work "home-$([guid]::NewGuid().ToString('n'))"
        $cache = New-Item -ItemType Directory -Force (Join-Path $homeDir '.aws/sso/cache')
        $file = Join-Path $cache ((Get-Sha1Hex $(if ($Legacy) { $script:LegacyStartUrl } else { 'corp' })) + '.json')
        if (-not $NoCache) {
            $entry = [ordered]@{ startUrl = $(if ($Legacy) { $script:LegacyStartUrl } else { $script:StartUrl }); region = 'us-east-1'
                accessToken = $AccessToken; expiresAt = $ExpiresAt.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
            if ($Refreshable) {
                $entry.clientId = $script:ClientId; $entry.clientSecret = $script:Tokens['client secret']; $entry.refreshToken = $RefreshToken
                $entry.registrationExpiresAt = [DateTime]::UtcNow.AddDays(30).ToString('yyyy-MM-ddTHH:mm:ssZ')
            }
            $entry | ConvertTo-Json | Set-Content $file
            # As `aws sso login` leaves it: readable by its owner only.
            if (-not $IsWindows) { & chmod 600 $file }
        }
        $environment = @{ HOME = $homeDir; AWS_CONFIG_FILE = $script:AwsConfig; AWS_SHARED_CREDENTIALS_FILE = (Join-Path $script:Work 'no-credentials'); AWS_PROFILE = '' }
        # The sign-in goes only where these name (never to -EndpointUrl): here, the local endpoint. -PublicPortal leaves them
        # unset (not empty: the SDK reads them too, and an empty one breaks its clients).
        if (-not $PublicPortal) { $environment.AWS_ENDPOINT_URL_SSO = $script:Endpoint.Url; $environment.AWS_ENDPOINT_URL_SSO_OIDC = $script:Endpoint.Url }
        [pscustomobject]@{ File = $file; Environment = $environment }
    }

    function Invoke-SsoTask {
        param([Parameter(Mandatory)]$SsoHome, [string]$Profile = 'sso', [hashtable]$Set = @{}, [hashtable]$Environment = @{})
        # PowerShell names are case-insensitive: the merged table needs a name of its own.
        $childEnvironment = $SsoHome.Environment.Clone()
        foreach ($k in $Environment.Keys) { $childEnvironment[$k] = $Environment[$k] }
        $arguments = Get-TaskArguments -Endpoint $script:Endpoint -Machine Hello -NoCredentials -Set (@{ ProfileName = $Profile } + $Set)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-TaskScript -Arguments $arguments -Environment $childEnvironment -TimeoutSeconds 60
        $run | Add-Member -NotePropertyName Seconds -NotePropertyValue $watch.Elapsed.TotalSeconds -PassThru
    }

    function Get-Count([string]$Operation) { $c = Get-EndpointCounters $script:Endpoint; if ($c.PSObject.Properties[$Operation]) { [int]$c.$Operation } else { 0 } }
    function Get-StoredExecution([string]$Arn) {
        (Invoke-RestMethod "$($script:Endpoint.Url)/_local/executions?stateMachineArn=$([uri]::EscapeDataString((Get-StateMachineArn Hello)))").executions |
            Where-Object executionArn -eq $Arn
    }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }
}

Describe 'An IAM Identity Center (SSO) profile' {
    BeforeEach { Reset-EndpointCounters $script:Endpoint }
    BeforeAll {
        # A backtick is the wildcard escape of -like: the advice is matched as plain text.
        # The sign-in belongs to the sso-session, and `aws sso login --profile` would fail for a role profile.
        $script:Advice = [regex]::Escape('run `aws sso login --sso-session corp`, then try again.')
    }

    It 'with sso_session: starts an execution that exists, signed by the Identity Center session of the profile''s role' {
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $run = Invoke-SsoTask -SsoHome $sso
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $arn = $run.Json.result.ExecutionArn
        $arn | Should -BeLike 'arn:aws:states:us-east-1:123456789012:execution:Hello:*'
        (Get-StoredExecution $arn).executionArn | Should -Be $arn
        Get-Count 'GetRoleCredentials' | Should -Be 1
        Get-Count 'CreateToken' | Should -Be 0
        $start = @((Invoke-RestMethod "$($script:Endpoint.Url)/_local/requests").requests | Where-Object operation -eq 'StartExecution')[-1]
        $start.principalArn | Should -Match '^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Runner_[0-9a-f]{16}/alice$'
    }

    It 'legacy (sso_start_url in the profile, cache named after the start URL): starts an execution' {
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1)) -Legacy
        $run = Invoke-SsoTask -SsoHome $sso -Profile legacy
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        (Get-StoredExecution $run.Json.result.ExecutionArn) | Should -Not -BeNullOrEmpty
    }

    It 'as the source_profile of a role profile: the Identity Center session assumes the role, through the module''s own clients' {
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $run = Invoke-SsoTask -SsoHome $sso -Profile worker
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        Get-Count 'GetRoleCredentials' | Should -Be 1
        Get-Count 'AssumeRole' | Should -Be 1
        # 'Assumer' may only assume roles: the start was signed by the role's session.
        $start = @((Invoke-RestMethod "$($script:Endpoint.Url)/_local/requests").requests | Where-Object operation -eq 'StartExecution')[-1]
        $start.principalArn | Should -Match '^arn:aws:sts::123456789012:assumed-role/Worker/'
    }

    It 'whose sign-in expired (nothing to refresh with): exit 2 at once, saying to run aws sso login, and asks the portal nothing' {
        $sso = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5))
        $run = Invoke-SsoTask -SsoHome $sso
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHENTICATION_ERROR: *sign-in of sso-session ''corp'' (profile ''sso'') expired at *'
        $run.Json.status_description | Should -Match $script:Advice
        $run.Seconds | Should -BeLessThan 30 -Because 'an expired sign-in must not wait for anything (no prompt, no browser)'
        Get-Count 'GetRoleCredentials' | Should -Be 0
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'whose sign-in expired, reached as the source_profile of a role profile: the advice is a command that works (--sso-session, not the role profile)' {
        $sso = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5))
        $run = Invoke-SsoTask -SsoHome $sso -Profile worker
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHENTICATION_ERROR: *sign-in of sso-session ''corp'' (profile ''worker'') expired at *'
        $run.Json.status_description | Should -Match $script:Advice
        Get-Count 'GetRoleCredentials' | Should -Be 0
        Get-Count 'AssumeRole' | Should -Be 0
    }

    It 'never signed in (no cache file): exit 2 with the same advice' {
        $sso = New-SsoHome -NoCache
        $run = Invoke-SsoTask -SsoHome $sso
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike '*No IAM Identity Center (SSO) sign-in is cached for sso-session ''corp'' (profile ''sso'')*'
        $run.Json.status_description | Should -Match $script:Advice
    }

    It 'whose token the portal refuses (revoked): exit 2 with the portal''s answer and the advice' {
        $sso = New-SsoHome -AccessToken $script:Tokens['refused access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $run = Invoke-SsoTask -SsoHome $sso
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike '*portal refused the sign-in cached for sso-session ''corp'' (profile ''sso'') (UnauthorizedException: Session token not found or invalid)*'
        $run.Json.status_description | Should -Match $script:Advice
        Get-Count 'GetRoleCredentials' | Should -Be 1
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'for a role the user is not assigned: exit 3 (authorization), naming the role and account' {
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $run = Invoke-SsoTask -SsoHome $sso -Profile unassigned
        $run.ExitCode | Should -Be 3 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike '*no access to role ''Admin'' in account 123456789012 (ForbiddenException: No access)*'
    }

    It 'whose sign-in expired but can be refreshed: refreshes through SSO OIDC, saves the new sign-in (owner-only), and the next task uses it' {
        $sso = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5)) -Refreshable
        $run = Invoke-SsoTask -SsoHome $sso
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        Get-Count 'CreateToken' | Should -Be 1
        $saved = Get-Content -Raw $sso.File | ConvertFrom-Json
        $saved.accessToken | Should -Not -Be $script:Tokens['expired access token']
        $saved.refreshToken | Should -Not -Be $script:Tokens['refresh token']
        ([DateTime]::Parse($saved.expiresAt, [Globalization.CultureInfo]::InvariantCulture).ToUniversalTime()) | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(30))
        $saved.startUrl | Should -Be $script:StartUrl -Because 'members the module does not change are kept'
        $saved.clientId | Should -Be $script:ClientId
        if (-not $IsWindows) { (& stat -c '%a' $sso.File) | Should -Be '600' }
        @(Get-ChildItem (Split-Path $sso.File) -Filter '*.tmp').Count | Should -Be 0

        $again = Invoke-SsoTask -SsoHome $sso
        $again.ExitCode | Should -Be 0 -Because $again.Stdout
        Get-Count 'CreateToken' | Should -Be 1 -Because 'the saved sign-in is good for an hour'
        Get-Count 'GetRoleCredentials' | Should -Be 2
    }

    It 'whose refresh is refused: exit 2, saying why and to run aws sso login' {
        $sso = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5)) -Refreshable -RefreshToken 'revoked-refresh-token'
        $run = Invoke-SsoTask -SsoHome $sso
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike '*expired at * and could not be refreshed (SSO OIDC CreateToken: InvalidGrantException)*'
        $run.Json.status_description | Should -Match $script:Advice
    }

    It 'whose expired sign-in cannot be refreshed because SSO OIDC is unreachable: exit 10 (transient, a wait polls through it), saying the sign-in could not be refreshed' {
        $sso = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5)) -Refreshable
        $closed = "http://127.0.0.1:$(Get-ClosedPort)"
        $run = Invoke-SsoTask -SsoHome $sso -Environment @{ AWS_ENDPOINT_URL_SSO_OIDC = $closed } -Set @{ RequestTimeout = '2' }
        $run.ExitCode | Should -Be 10 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "CONNECTION_ERROR: *sign-in of sso-session 'corp' (profile 'sso') expired at * and could not be refreshed*"
        $run.Json.status_description | Should -BeLike "*Cannot reach the endpoint: the endpoint refused the connection*$($closed.Substring(7))*"
        Get-Count 'GetRoleCredentials' | Should -Be 0
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'whose expired sign-in cannot be refreshed because the proxy is unreachable: exit 11 with the proxy''s message, saying the sign-in could not be refreshed' {
        $sso = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5)) -Refreshable
        $proxy = "http://127.0.0.1:$(Get-ClosedPort)"
        $run = Invoke-SsoTask -SsoHome $sso -Set @{ Proxy = $proxy; ProxyType = 'http'; RequestTimeout = '2' }
        $run.ExitCode | Should -Be 11 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "CONNECTION_ERROR: ProxyConnectionError: Failed to connect to proxy URL ${proxy}: *"
        $run.Json.status_description | Should -BeLike "*sign-in of sso-session 'corp' (profile 'sso') expired at * and could not be refreshed*"
        Get-Count 'CreateToken' | Should -Be 0
        Get-Count 'GetRoleCredentials' | Should -Be 0
    }

    It 'asks the portal at AWS_ENDPOINT_URL_SSO when it is set, rather than at -EndpointUrl' {
        # The portal is the endpoint; -EndpointUrl is a closed port. The portal call must reach the endpoint, and only the
        # start then fails (at the closed port).
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $closed = "http://127.0.0.1:$(Get-ClosedPort)"
        $sso.Environment.AWS_ENDPOINT_URL_SSO = $script:Endpoint.Url
        $run = Invoke-SsoTask -SsoHome $sso -Set @{ EndpointUrl = $closed; RequestTimeout = '2' }
        $run.ExitCode | Should -Be 10 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "CONNECTION_ERROR: Cannot reach the endpoint*$($closed.Substring(7))*"
        Get-Count 'GetRoleCredentials' | Should -Be 1
        Get-Count 'StartExecution' | Should -Be 0
    }

    It 'never sends the sign-in to -EndpointUrl: without AWS_ENDPOINT_URL_SSO the portal is the public one, and the endpoint sees no SSO call' {
        # Through a closed proxy (the portal call follows -Proxy), so nothing can leave the machine even where AWS is reachable.
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(5)) -Refreshable -PublicPortal
        $proxy = "http://127.0.0.1:$(Get-ClosedPort)"
        $run = Invoke-SsoTask -SsoHome $sso -Set @{ Proxy = $proxy; ProxyType = 'http' }
        $run.ExitCode | Should -Be 11 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike "CONNECTION_ERROR: ProxyConnectionError: Failed to connect to proxy URL $proxy*"
        Get-Count 'GetRoleCredentials' | Should -Be 0
        Get-Count 'CreateToken' | Should -Be 0
    }

    It 'at an https:// endpoint trusted through AWS_CA_BUNDLE: the portal call trusts it too, and fails without it' {
        $ca = Join-Path $script:Work 'https-ca.pem'
        $https = Start-LocalEndpoint -Arguments @('--https', '--ca-file', $ca, '--definitions', $script:Definitions, '--config', $script:AccessConfig)
        try {
            $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
            $arguments = Get-TaskArguments -Endpoint $https -Machine Hello -NoCredentials -Set @{ ProfileName = 'sso' }
            $sso.Environment.AWS_ENDPOINT_URL_SSO = $https.Url
            $sso.Environment.AWS_ENDPOINT_URL_SSO_OIDC = $https.Url
            $trusted = Invoke-TaskScript -Arguments $arguments -Environment ($sso.Environment + @{ AWS_CA_BUNDLE = $ca })
            $trusted.ExitCode | Should -Be 0 -Because $trusted.Stdout
            [int](Invoke-RestMethod "$($https.Url)/_local/counters" -SkipCertificateCheck).GetRoleCredentials | Should -Be 1
            # Without the bundle nothing reaches the endpoint: the TLS handshake is refused, and the portal call is the first.
            $untrusted = Invoke-TaskScript -Arguments $arguments -Environment $sso.Environment
            $untrusted.ExitCode | Should -Be 10 -Because $untrusted.Stdout
            [int](Invoke-RestMethod "$($https.Url)/_local/counters" -SkipCertificateCheck).GetRoleCredentials | Should -Be 1

            # Step Functions over plain http (an emulator), the portal over TLS: the portal call still reads AWS_CA_BUNDLE
            # (it was read only when Step Functions or the proxy used TLS). The session the https endpoint issues is unknown to
            # the http one, whose refusal shows that the start was signed with it.
            $plainArguments = Get-TaskArguments -Endpoint $script:Endpoint -Machine Hello -NoCredentials -Set @{ ProfileName = 'sso' }
            $mixed = Invoke-TaskScript -Arguments $plainArguments -Environment ($sso.Environment + @{ AWS_CA_BUNDLE = $ca })
            [int](Invoke-RestMethod "$($https.Url)/_local/counters" -SkipCertificateCheck).GetRoleCredentials | Should -Be 2 -Because $mixed.Stdout
            $mixed.ExitCode | Should -Be 2 -Because $mixed.Stdout
            $mixed.Json.status_description | Should -BeLike '*UnrecognizedClient*'
        } finally { $https.Stop() }
    }

    It 'with -Proxy: the portal call goes through the proxy too' {
        $proxy = Start-TinyProxy -Directory (Join-Path $script:Work 'proxy') -Name 'sso'
        try {
            $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
            $run = Invoke-SsoTask -SsoHome $sso -Set @{ Proxy = $proxy.Url; ProxyType = 'http' }
            $run.ExitCode | Should -Be 0 -Because $run.Stdout
            $log = $proxy.ReadLog()
            $log | Should -Match ([regex]::Escape("GET http://127.0.0.1:$($script:Endpoint.Port)/federation/credentials?"))
            $log | Should -Match ([regex]::Escape("POST http://127.0.0.1:$($script:Endpoint.Port)/"))
        } finally { $proxy.Stop() }
    }
}

Describe 'SSO and the module''s load context' {
    It 'loads AWSSDK.SSO and AWSSDK.SSOOIDC only when an SSO profile is used, and then into the module''s own context' {
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $child = {
            param($Manifest, $Url, $Machine)
            $ErrorActionPreference = 'Stop'
            Import-Module $Manifest
            function Get-Sdk { @([Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $c = $_; $_.Assemblies | Where-Object { $_.GetName().Name -like 'AWSSDK.SSO*' } | ForEach-Object { "$($c.GetType().Name):$($_.GetName().Name)" } }) | Sort-Object | Join-String -Separator ',' }
            $key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', (ConvertTo-SecureString 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -AsPlainText -Force))
            $plain = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -Credential $key
            $afterPlain = Get-Sdk
            $viaSso = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -ProfileName sso
            [pscustomobject]@{ Plain = $plain.exit_code; Sso = $viaSso.exit_code; AfterPlain = $afterPlain; AfterSso = Get-Sdk } | ConvertTo-Json -Compress
        }
        $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command', "& { $child } '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)'")
        $result = Invoke-CapturedProcess -Command $command -Environment $sso.Environment -TimeoutSeconds 120
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $parsed = $result.StdOut | ConvertFrom-Json
        $parsed.Plain | Should -Be 0
        $parsed.Sso | Should -Be 0
        $parsed.AfterPlain | Should -BeNullOrEmpty -Because 'a call with keys must not load the SSO clients'
        $parsed.AfterSso | Should -Be 'DependencyLoadContext:AWSSDK.SSO,DependencyLoadContext:AWSSDK.SSOOIDC'
    }
}

Describe 'SSO secrets' {
    It 'never shows the access token, refresh token or client secret: not in any stream with -Verbose -Debug, an error, a transcript or the task''s output' {
        $outputs = [ordered]@{}
        $sso = New-SsoHome -AccessToken $script:Tokens['access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $refreshed = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5)) -Refreshable
        $refused = New-SsoHome -AccessToken $script:Tokens['refused access token'] -ExpiresAt ([DateTime]::UtcNow.AddHours(1))
        $expired = New-SsoHome -AccessToken $script:Tokens['expired access token'] -ExpiresAt ([DateTime]::UtcNow.AddMinutes(-5)) -Refreshable -RefreshToken $script:Tokens['refused access token']
        $child = {
            param($Manifest, $Url, $Machine, $Transcript)
            Start-Transcript -Path $Transcript | Out-Null
            Import-Module $Manifest
            $DebugPreference = 'Continue'
            $all = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -ProfileName sso -Wait -Verbose -Debug *>&1
            $all | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String } else { $_ | Format-List * -Force | Out-String; "$_" } }
            $Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
            Stop-Transcript | Out-Null
        }
        $i = 0
        foreach ($case in @{ Name = 'success'; Home = $sso }, @{ Name = 'refresh'; Home = $refreshed }, @{ Name = 'refused'; Home = $refused }, @{ Name = 'expired'; Home = $expired }) {
            $i++
            $transcript = Join-Path $script:Work "transcript-$i.txt"
            $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command', "& { $child } '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)' '$transcript'")
            $r = Invoke-CapturedProcess -Command $command -Environment $case.Home.Environment -TimeoutSeconds 120
            $outputs["$($case.Name) streams"] = $r.StdOut + $r.StdErr
            $outputs["$($case.Name) transcript"] = if (Test-Path $transcript) { Get-Content -Raw $transcript } else { '' }
            $task = Invoke-SsoTask -SsoHome $case.Home
            $outputs["$($case.Name) task"] = $task.Stdout + $task.Stderr
        }
        # The cases ran as intended: a success with a debug trace of the portal call, and the refusals.
        $outputs['success streams'] | Should -Match 'SSO GetRoleCredentials for role Runner in account 123456789012'
        $outputs['refresh streams'] | Should -Match 'SSO OIDC refreshed the sign-in'
        $outputs['refused streams'] | Should -Match 'UnauthorizedException'
        $outputs['expired streams'] | Should -Match 'could not be refreshed'
        $secrets = @{} + $script:Tokens
        $secrets['refreshed access token'] = (Get-Content -Raw $refreshed.File | ConvertFrom-Json).accessToken
        $secrets['refreshed refresh token'] = (Get-Content -Raw $refreshed.File | ConvertFrom-Json).refreshToken
        $leaks = foreach ($place in $outputs.Keys) { foreach ($label in $secrets.Keys) { if (([string]$outputs[$place]).Contains([string]$secrets[$label])) { "$label in $place" } } }
        @($leaks) | Should -BeNullOrEmpty
    }
}
