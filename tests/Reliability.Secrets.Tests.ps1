# Secrets (issue 4): every cmdlet and the wrapper, on success and on the failure paths, with -Verbose -Debug, all
# streams captured, a transcript on, and every output and error record dumped (tests/fixtures/Invoke-SecretsScenario.ps1
# in a child pwsh). Every credential source the module knows is used: keys, environment session tokens, -RoleArn, a role
# profile (role_arn + source_profile), web identity (environment and profile), IAM Identity Center (SSO) profiles with
# their refresh, and credential_process. The secrets the test made (keys, proxy passwords, web identity tokens, SSO
# cache tokens and client secret, what the credential_process prints) and every credential the endpoint issued, to the
# AWS CLI or to the module itself (its GET /_local/issued-credentials: AssumeRole, AssumeRoleWithWebIdentity and portal
# sessions, SSO OIDC tokens), must appear nowhere, nor in a file the run left behind (the SSO cache file, which holds the
# sign-in by design, excepted); the invocation fields show ****.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    . (Join-Path $PSScriptRoot 'fixtures/SecretsCredentialSources.ps1')
    $script:Area = 'Secrets'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-secrets'
    $script:Marker = 'sec' + [Guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:SetupError = $null
    $script:OutputsError = $null

    # Fresh random secrets every run, so a hit can only come from this run.
    function New-Secret { param([string]$Prefix) $Prefix + [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(24)).Replace('+', 'p').Replace('/', 's').Replace('=', '') }
    function New-KeyId { 'AKIA' + (-join (1..16 | ForEach-Object { [char[]]'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567' | Get-Random })) }
    $script:Secrets = [ordered]@{
        'secret access key'        = New-Secret 'Sk/'
        'wrong secret access key'  = New-Secret 'Wk/'
        'reader secret access key' = New-Secret 'Rk/'
        'proxy password'           = New-Secret 'Pp-'
        'wrong proxy password'     = New-Secret 'Wp-'
    }
    # The other credential sources' secrets: the keys a role profile's source_profile and the credential_process hold, what
    # the process prints (also when it fails), the web identity tokens and what an SSO sign-in caches.
    foreach ($name in 'assumer secret access key', 'process secret access key', 'process refresh secret access key', 'process refresh session token',
        'process invalid JSON secret') { $script:Secrets[$name] = New-Secret 'Xk/' }
    foreach ($name in 'web identity token', 'expired web identity token', 'SSO access token', 'SSO expired access token', 'SSO refused access token',
        'SSO refresh token', 'SSO revoked refresh token', 'SSO client secret', 'SSO corrupt cache token') { $script:Secrets[$name] = New-Secret 'Tk-' }
    $accessKey = New-KeyId
    $readerKey = New-KeyId
    $assumerKey = New-KeyId
    $processKey = New-KeyId
    $roleArn = "arn:aws:iam::$($script:K.Account):role/ReliabilitySecrets"
    $briefRoleArn = "arn:aws:iam::$($script:K.Account):role/ReliabilitySecretsBrief"
    $webRoleArn = "arn:aws:iam::$($script:K.Account):role/ReliabilitySecretsWeb"
    $ssoClientId = 'secrets-oidc-client'
    try {
        $config = Join-Path $script:Dir 'access.json'
        @{
            defaultUser = $false
            users       = @(
                @{ name = 'secrets-user'; accessKeyId = $accessKey; secretAccessKey = $script:Secrets['secret access key']; actions = @('states:*', 'sts:AssumeRole') }
                @{ name = 'secrets-reader'; accessKeyId = $readerKey; secretAccessKey = $script:Secrets['reader secret access key']; actions = @('states:Describe*', 'states:List*') }
                # The source_profile of a role profile: may only assume roles, so a start proves the role's session signed it.
                @{ name = 'secrets-assumer'; accessKeyId = $assumerKey; secretAccessKey = $script:Secrets['assumer secret access key']; actions = @('sts:AssumeRole') }
                # What the credential_process prints.
                @{ name = 'secrets-process'; accessKeyId = $processKey; secretAccessKey = $script:Secrets['process secret access key']; actions = @('states:*', 'sts:AssumeRole') }
            )
            roles       = @(
                @{ roleArn = $roleArn; actions = @('states:*'); durationSeconds = 900 }
                # Sessions of one second: its token is expired by the time the scenario uses it.
                @{ roleArn = $briefRoleArn; actions = @('states:*'); durationSeconds = 1 }
                @{ roleArn = $webRoleArn; actions = @('states:*'); durationSeconds = 900; webIdentityTokens = @($script:Secrets['web identity token']) }
            )
            expiredWebIdentityTokens = @($script:Secrets['expired web identity token'])
            ssoUsers    = @(@{
                    name = 'secrets-alice'; accessTokens = @($script:Secrets['SSO access token']); refreshTokens = @($script:Secrets['SSO refresh token'])
                    assignments = @(
                        @{ accountId = $script:K.Account; roleName = 'Runner'; actions = @('states:*') }
                        @{ accountId = $script:K.Account; roleName = 'Assumer'; actions = @('sts:AssumeRole') }
                    )
                })
            ssoClients  = @(@{ clientId = $ssoClientId; clientSecret = $script:Secrets['SSO client secret'] })
        } | ConvertTo-Json -Depth 8 | Set-Content $config
        # The endpoint answers every credential it issues (GET /_local/issued-credentials), for the search below.
        $script:Endpoint = Start-ReliabilityEndpoint -Directory $script:Dir -ConfigPath $config -ExtraArguments @('--expose-issued-credentials')
        $script:Proxy = Start-TinyProxy -Directory $script:Dir -Name 'secrets' -User 'secretsproxy' -Password $script:Secrets['proxy password']

        # Real session tokens, issued by the endpoint's AssumeRole to the AWS CLI.
        function Get-SessionCredential { param([string]$Role)
            $sts = Invoke-CapturedProcess -TimeoutSeconds 60 -Command @('/usr/bin/aws', 'sts', 'assume-role', '--endpoint-url', $script:Endpoint.Url,
                '--role-arn', $Role, '--role-session-name', 'secrets-test', '--output', 'json') -Environment @{
                AWS_ACCESS_KEY_ID = $accessKey; AWS_SECRET_ACCESS_KEY = $script:Secrets['secret access key']; AWS_DEFAULT_REGION = 'us-east-1'
                AWS_CONFIG_FILE = '/dev/null'; AWS_SHARED_CREDENTIALS_FILE = '/dev/null'; AWS_PAGER = '' }
            if ($sts.ExitCode -ne 0) { throw "aws sts assume-role $Role failed: $($sts.StdErr)" }
            ($sts.StdOut | ConvertFrom-Json).Credentials
        }
        $session = Get-SessionCredential $roleArn
        $script:Secrets['session secret access key'] = $session.SecretAccessKey
        $script:Secrets['session token'] = $session.SessionToken
        $expired = Get-SessionCredential $briefRoleArn
        $script:Secrets['expired session secret access key'] = $expired.SecretAccessKey
        $script:Secrets['expired session token'] = $expired.SessionToken

        $sources = New-SecretsCredentialSources -Directory $script:Dir -Secrets $script:Secrets -RoleArn $roleArn -WebRoleArn $webRoleArn `
            -AssumerKey $assumerKey -SsoClientId $ssoClientId -Account $script:K.Account

        $outDir = Join-Path $script:Dir 'out'
        New-Item -ItemType Directory $outDir | Out-Null
        $scenario = Join-Path $PSScriptRoot 'fixtures/Invoke-SecretsScenario.ps1'
        $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $scenario,
            '-Manifest', $script:K.ManifestPath, '-WrapperPath', $script:K.WrapperPath, '-EndpointUrl', $script:Endpoint.Url,
            '-StateMachinePrefix', "arn:aws:states:us-east-1:$($script:K.Account):stateMachine", '-RoleArn', $roleArn,
            '-ProxyUrl', $script:Proxy.Url, '-DownProxyUrl', "http://127.0.0.1:$(Get-FreeTcpPort)",
            '-ClosedEndpointUrl', "http://127.0.0.1:$(Get-FreeTcpPort)", '-OutputDirectory', $outDir, '-Marker', $script:Marker)
        $script:Run = Invoke-CapturedProcess -Command $command -TimeoutSeconds 400 -Environment @{
            REL_ACCESS_KEY = $accessKey; REL_SECRET = $script:Secrets['secret access key']; REL_WRONG_SECRET = $script:Secrets['wrong secret access key']
            REL_READER_KEY = $readerKey; REL_READER_SECRET = $script:Secrets['reader secret access key']
            REL_PROXY_USER = 'secretsproxy'; REL_PROXY_PASSWORD = $script:Secrets['proxy password']; REL_WRONG_PROXY_PASSWORD = $script:Secrets['wrong proxy password']
            REL_SESSION_KEY = $session.AccessKeyId; REL_SESSION_SECRET = $session.SecretAccessKey; REL_SESSION_TOKEN = $session.SessionToken
            REL_EXPIRED_KEY = $expired.AccessKeyId; REL_EXPIRED_SECRET = $expired.SecretAccessKey; REL_EXPIRED_TOKEN = $expired.SessionToken
            REL_PROCESS_KEY = $processKey; REL_PROCESS_SECRET = $script:Secrets['process secret access key']
            REL_PROCESS_REFRESH_SECRET = $script:Secrets['process refresh secret access key']; REL_PROCESS_REFRESH_TOKEN = $script:Secrets['process refresh session token']
            REL_PROCESS_INVALID_SECRET = $script:Secrets['process invalid JSON secret']; REL_PROCESS_FLAKY_RUNS = $sources.FlakyRuns
            REL_WEB_ROLE = $webRoleArn; REL_WEB_TOKEN_FILE = $sources.WebTokenFile; REL_WEB_EXPIRED_TOKEN_FILE = $sources.ExpiredWebTokenFile
            AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null
            # The profiles (no [default]: the other scenarios name their credentials), a HOME with the SSO sign-ins cached, a
            # TMPDIR of its own (both searched afterwards), and the portal and SSO OIDC at the endpoint.
            AWS_CONFIG_FILE = $sources.ConfigFile; AWS_SHARED_CREDENTIALS_FILE = $sources.CredentialsFile
            HOME = $sources.Home; TMPDIR = $sources.Temp
            AWS_ENDPOINT_URL_SSO = $script:Endpoint.Url; AWS_ENDPOINT_URL_SSO_OIDC = $script:Endpoint.Url
        }
        function Read-Out { param([string]$Name) $p = Join-Path $outDir $Name; if (Test-Path $p) { [System.IO.File]::ReadAllText($p) } else { '' } }
        $script:Places = [ordered]@{
            'stdout and stderr' = $script:Run.StdOut + "`n" + $script:Run.StdErr
            'transcript'        = Read-Out 'transcript.txt'
            'output JSON'       = Read-Out 'outputs.json'
            'error records'     = Read-Out 'errors.txt'
        }
        # Every file the run left in its HOME and TMPDIR, but the SSO cache files written above (which hold the sign-in by
        # design, and the refreshed one after the refresh): a new file in the cache folder is searched too.
        $leftFiles = @(Get-ChildItem -Path $sources.Home, $sources.Temp -Recurse -File -Force -ErrorAction SilentlyContinue |
                Where-Object { $_.FullName -notin $sources.SsoCacheFiles -and $_.UnixMode -like '-*' })
        $script:Places['files the run left (HOME, TMPDIR)'] = ($leftFiles | ForEach-Object { "--- $($_.FullName)`n" + [System.IO.File]::ReadAllText($_.FullName) }) -join "`n"
        $script:LeftFileCount = $leftFiles.Count
        $script:Summary = @(if ((Read-Out 'summary.json').Trim()) { (Read-Out 'summary.json') | ConvertFrom-Json })
        $script:FlakyRuns = @(if (Test-Path $sources.FlakyRuns) { Get-Content $sources.FlakyRuns }).Count

        # Every credential the endpoint issued during the run: to the AWS CLI above, and to the module itself (its own
        # AssumeRole, AssumeRoleWithWebIdentity and portal sessions, and the SSO OIDC tokens of its refresh).
        $script:Issued = Invoke-EndpointControl -Endpoint $script:Endpoint -Path '/_local/issued-credentials'
        $script:IssuedSecrets = [ordered]@{}
        $n = 0
        foreach ($issued in $script:Issued.sessions) {
            $n++
            $script:IssuedSecrets["$($issued.operation) #$n ($($issued.accessKeyId)) secret access key"] = $issued.secretAccessKey
            $script:IssuedSecrets["$($issued.operation) #$n ($($issued.accessKeyId)) session token"] = $issued.sessionToken
        }
        foreach ($token in $script:Issued.ssoTokens) {
            $n++
            $script:IssuedSecrets["CreateToken #$n access token"] = $token.accessToken
            $script:IssuedSecrets["CreateToken #$n refresh token"] = $token.refreshToken
        }
        foreach ($client in $script:Issued.ssoClients) { $script:IssuedSecrets["OIDC client $($client.clientId) secret"] = $client.clientSecret }
        $script:CliKeyIds = @($session.AccessKeyId, $expired.AccessKeyId)
        $script:AllSecrets = @{}
        foreach ($table in $script:Secrets, $script:IssuedSecrets) { foreach ($k in $table.Keys) { $script:AllSecrets[$k] = $table[$k] } }
        # outputs.json is the outputs as one JSON array, then each output's own ToJson(); the array is what is checked.
        # A file that does not parse keeps its reason, so the masking test says why it found no outputs.
        $script:Outputs = @(if ((Read-Out 'outputs.json').Trim()) {
                try { ((Read-Out 'outputs.json') -split "`n(?=\{)")[0] | ConvertFrom-Json }
                catch { $script:OutputsError = "outputs.json is not the JSON array the scenario writes: $($_.Exception.Message)" }
            })
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }

    function Get-ScenarioCode { param([string]$Name) ($script:Summary | Where-Object scenario -eq $Name | Select-Object -First 1).exit_code }
}

AfterAll {
    foreach ($c in $script:Proxy, $script:Endpoint) { if ($c) { $c.Stop() } }
    Update-ReliabilityDocument
    # The temp folder holds this run's secrets (transcript, config): never leave it behind.
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe 'The scenarios really ran their paths' {
    # Without these, "no secret found" could mean "nothing ran".
    It '<Name> ends with exit <Code>' -ForEach @(
        @{ Name = 'Start -Wait through an authenticated proxy'; Code = 0 }
        @{ Name = 'Get-UeStepFunctionResult'; Code = 0 }
        @{ Name = 'Wait-UeStepFunction'; Code = 0 }
        @{ Name = 'Start (no wait) of a long execution'; Code = 0 }
        @{ Name = 'Stop-UeStepFunction'; Code = 0, 24 }
        @{ Name = 'Get-UeStepFunctionExecution through an authenticated proxy'; Code = 0 }
        @{ Name = 'Start -Wait with -RoleArn (AssumeRole session)'; Code = 0 }
        @{ Name = 'Start with a session token from the environment'; Code = 0 }
        @{ Name = 'wrong secret key'; Code = 2 }
        @{ Name = 'access denied'; Code = 3 }
        @{ Name = 'wrong proxy password'; Code = 11 }
        @{ Name = 'proxy down'; Code = 11 }
        @{ Name = 'endpoint down'; Code = 10 }
        @{ Name = 'bad input'; Code = 20 }
        @{ Name = 'execution FAILED'; Code = 23 }
        @{ Name = 'Restart-UeStepFunction through an authenticated proxy'; Code = 23 }
        @{ Name = 'Get-UeStepFunctionHistory through an authenticated proxy'; Code = 23 }
        @{ Name = 'Get-UeStepFunctionStateMachine through an authenticated proxy'; Code = 0 }
        @{ Name = 'Get-UeStepFunctionMapRun through an authenticated proxy'; Code = 0 }
        @{ Name = 'Set-UeStepFunctionMapRun through an authenticated proxy'; Code = 20 }
        @{ Name = 'throttled beyond the retry budget'; Code = 1 }
        @{ Name = 'response slower than the request timeout'; Code = 10 }
        @{ Name = 'expired session token'; Code = 2 }
        @{ Name = 'stop an execution that does not exist'; Code = 20 }
        @{ Name = 'wrapper: success, PSCredentials'; Code = 0 }
        @{ Name = 'wrapper: success, credentials as text fields'; Code = 0 }
        @{ Name = 'wrapper: wrong secret key'; Code = 2 }
        @{ Name = 'wrapper: wrong proxy password'; Code = 11 }
        @{ Name = 'wrapper: bad input'; Code = 20 }
        @{ Name = 'wrapper: session token from the environment'; Code = 0 }
        @{ Name = 'role profile (role_arn + source_profile): Start -Wait'; Code = 0 }
        @{ Name = 'role profile that STS refuses'; Code = 3 }
        @{ Name = '-RoleArn that STS refuses'; Code = 3 }
        @{ Name = 'web identity from the environment: Start -Wait'; Code = 0 }
        @{ Name = 'web identity profile'; Code = 0 }
        @{ Name = 'web identity token that STS refuses (expired)'; Code = 2 }
        @{ Name = 'SSO profile: Start -Wait'; Code = 0 }
        @{ Name = 'SSO profile whose expired sign-in is refreshed through SSO OIDC'; Code = 0 }
        @{ Name = 'SSO profile whose refresh is refused while the sign-in still lives'; Code = 0 }
        @{ Name = 'SSO profile whose expired sign-in cannot be refreshed'; Code = 2 }
        @{ Name = 'SSO profile whose sign-in the portal refuses'; Code = 2 }
        @{ Name = 'SSO profile whose cached sign-in is not JSON'; Code = 2 }
        @{ Name = 'SSO profile as the source_profile of a role profile'; Code = 0 }
        @{ Name = 'credential_process: Start -Wait'; Code = 0 }
        @{ Name = 'credential_process printing credentials and exiting 1'; Code = 2 }
        @{ Name = 'credential_process printing invalid JSON around a secret'; Code = 2 }
        @{ Name = 'credential_process whose refresh fails while its credentials live'; Code = 0 }
        @{ Name = 'credential_process as the source_profile of a role profile'; Code = 0 }
        @{ Name = 'wrapper: role profile'; Code = 0 }
        @{ Name = 'wrapper: web identity from the environment'; Code = 0 }
        @{ Name = 'wrapper: SSO profile'; Code = 0 }
        @{ Name = 'wrapper: SSO profile whose expired sign-in cannot be refreshed'; Code = 2 }
        @{ Name = 'wrapper: credential_process printing credentials and exiting 1'; Code = 2 }
    ) {
        # Stop-UeStepFunction's own code may be 0 (the stop worked) or 24 (the execution is ABORTED): either proves the path ran.
        Invoke-ReliabilityCase -Area $script:Area -Case "path ran: $Name" -Expected "exit $($Code -join ' or ')" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $observedCode = Get-ScenarioCode $Name
            $row.Observed = "exit $observedCode"
            $observedCode | Should -BeIn $Code
        }
    }
}

Describe 'The credential sources really took their paths' {
    # What -Debug says on each path: without it a success or a failure could have come from anywhere.
    It 'the -Debug trace shows <What>' -ForEach @(
        @{ What = 'the module''s own AssumeRole for a role profile'; Pattern = 'AssumeRole answered in [0-9.]+ ms' }
        @{ What = 'STS refusing AssumeRole'; Pattern = 'AssumeRole failed after [0-9.]+ ms: AmazonSecurityTokenServiceException: User: .* is not authorized to perform: sts:AssumeRole' }
        @{ What = 'AssumeRoleWithWebIdentity answering'; Pattern = 'AssumeRoleWithWebIdentity answered in [0-9.]+ ms' }
        @{ What = 'STS refusing the expired web identity token'; Pattern = 'AssumeRoleWithWebIdentity failed after [0-9.]+ ms: ExpiredTokenException' }
        @{ What = 'the portal''s GetRoleCredentials answering'; Pattern = 'SSO GetRoleCredentials answered in [0-9.]+ ms' }
        @{ What = 'the sign-in refreshed and saved'; Pattern = 'SSO OIDC refreshed the sign-in until .* and saved it to ' }
        @{ What = 'SSO OIDC refusing a revoked refresh token'; Pattern = 'SSO OIDC CreateToken refused: InvalidGrantException' }
        @{ What = 'the portal refusing a sign-in'; Pattern = 'SSO GetRoleCredentials refused after [0-9.]+ ms: UnauthorizedException' }
        @{ What = 'the SSO cache file that is not JSON'; Pattern = 'sign-in cached for sso-session ''secrets-corrupt'' .* cannot be used \(.*: not valid JSON \(line 1\)\)' }
        @{ What = 'the credential_process answering'; Pattern = 'credential_process of profile ''cp-ok'' answered in [0-9.]+ ms' }
        @{ What = 'the credential_process exiting 1'; Pattern = 'credential_process of profile ''cp-exit'' exited with code 1' }
        @{ What = 'a failed credential_process refresh keeping the live credentials'; Pattern = 'credential_process of profile ''cp-flaky'' failed \(CredentialProcessException: .*exited with code 1: refresh refused by the secrets test\); the current credentials, valid until .* are used meanwhile' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "debug trace: $What" -Expected "a DEBUG line matching /$Pattern/" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $lines = @(($script:Places['transcript'] -split "`n") | Where-Object { $_ -match '^DEBUG:' -and $_ -match $Pattern })
            $row.Observed = "$($lines.Count) matching lines"
            $lines.Count | Should -BeGreaterThan 0
        }
    }

    It 'the credential_process whose refresh fails ran three times (credentials, the failed refresh, the next refresh)' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'credential_process refresh runs' -Expected '3 runs' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $row.Observed = "$($script:FlakyRuns) runs"
            $script:FlakyRuns | Should -Be 3
        }
    }

    It 'the endpoint issued the credentials the module obtained (at least <Minimum> by <Operation>), and the search has them' -ForEach @(
        # The AWS CLI's two AssumeRole sessions, then the module's: -RoleArn, the role profile, the role profiles whose source is
        # an SSO profile and a credential_process.
        @{ Operation = 'AssumeRole'; Minimum = 6 }
        # The environment's token file, the profile's, and the wrapper's.
        @{ Operation = 'AssumeRoleWithWebIdentity'; Minimum = 3 }
        # The SSO profile, the refreshed one, the one whose refresh was refused, the role profile's source.
        @{ Operation = 'GetRoleCredentials'; Minimum = 4 }
        # The refreshed sign-in.
        @{ Operation = 'CreateToken'; Minimum = 1 }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "issued by $Operation" -Expected "at least $Minimum, each with its secrets in the search" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $items = @(if ($Operation -eq 'CreateToken') { $script:Issued.ssoTokens } else { $script:Issued.sessions | Where-Object operation -eq $Operation })
            $labels = @($script:IssuedSecrets.Keys | Where-Object { $_ -like "$Operation #*" })
            $row.Observed = "$($items.Count) issued, $($labels.Count) secrets searched"
            $items.Count | Should -BeGreaterOrEqual $Minimum
            $labels.Count | Should -Be (2 * $items.Count)
            @($labels | Where-Object { ([string]$script:IssuedSecrets[$_]).Length -lt 20 }) | Should -BeNullOrEmpty
        }
    }

    It 'every session the module obtained signed a request (it was used, not only issued)' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'issued sessions used' -Expected 'each session not issued to the AWS CLI signed at least one request' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $signed = @(Get-EndpointRequest -Endpoint $script:Endpoint | ForEach-Object accessKeyId) | Sort-Object -Unique
            $module = @($script:Issued.sessions | Where-Object accessKeyId -notin $script:CliKeyIds)
            $unused = @($module | Where-Object accessKeyId -notin $signed | ForEach-Object { "$($_.operation) $($_.accessKeyId)" })
            $row.Observed = "$($module.Count) sessions of the module; unused: $(if ($unused) { $unused -join ', ' } else { 'none' })"
            $module.Count | Should -BeGreaterOrEqual 11
            $unused | Should -BeNullOrEmpty
        }
    }
}

Describe 'No secret anywhere' {
    It 'the captures are live (they hold this run''s verbose output and execution names)' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'captures are live' -Expected 'transcript, stdout and JSON hold the run marker; verbose output present' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $live = foreach ($place in 'stdout and stderr', 'transcript', 'output JSON') { if ($script:Places[$place].Contains($script:Marker)) { $place } }
            $transcript = $script:Places['transcript']
            $probes = @('VERBOSE', 'DEBUG', 'WARNING' | Where-Object { $transcript.Contains("$($_): $($script:Marker) $($_.ToLowerInvariant()) probe") })
            # Not asserted: how much the module itself says under -Verbose/-Debug (the more it says, the more this test covers).
            $moduleLines = @(($transcript -split "`n") | Where-Object { $_ -match '^(VERBOSE|DEBUG):' -and $_ -notmatch 'probe$' }).Count
            $row.Observed = "marker in: $(@($live) -join ', '); stream probes in transcript: $($probes -join ', '); module verbose/debug lines: $moduleLines"
            @($live).Count | Should -Be 3
            $probes.Count | Should -Be 3
        }
    }

    It 'no secret in <Place>' -ForEach @(
        @{ Place = 'stdout and stderr' }, @{ Place = 'transcript' }, @{ Place = 'output JSON' }, @{ Place = 'error records' }
        @{ Place = 'files the run left (HOME, TMPDIR)' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "no secret in $Place" `
            -Expected ('none of: the keys, session tokens, proxy passwords, web identity tokens, SSO cache tokens, client secret and credential_process output ' +
                'the test made; every credential the endpoint issued (AssumeRole, AssumeRoleWithWebIdentity, GetRoleCredentials sessions, CreateToken tokens)') -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $text = $script:Places[$Place]
            $leaks = Find-SecretLeak -Secrets $script:AllSecrets -Places @{ $Place = $text }
            $row.Observed = "$($text.Length) characters searched for $($script:AllSecrets.Count) secrets ($($script:IssuedSecrets.Count) issued by the endpoint)" +
                $(if ($Place -like 'files*') { " in $($script:LeftFileCount) files" }) + ": $(if ($leaks) { 'LEAKED ' + ($leaks -join ', ') } else { 'none found' })"
            # The run leaves files (pwsh's own caches) or none: an empty place is fine there only.
            if ($Place -notlike 'files*') { $text.Length | Should -BeGreaterThan 0 }
            @($leaks) | Should -BeNullOrEmpty
        }
    }

    It 'the invocation fields show **** for every credential given' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'invocation fields masked' `
            -Expected 'credentials_* and proxy_credentials_* are **** (or null when not given) in every output' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            if ($script:OutputsError) { throw $script:OutputsError }
            $withFields = @($script:Outputs | Where-Object { $_.invocation -and $_.invocation.fields })
            $bad = foreach ($o in $withFields) {
                foreach ($f in 'credentials_user', 'credentials_password', 'proxy_credentials_user', 'proxy_credentials_password') {
                    $v = $o.invocation.fields.$f
                    if ($null -ne $v -and $v -ne '****') { "$f='$v'" }
                }
            }
            $masked = @($withFields | Where-Object { $_.invocation.fields.credentials_password -eq '****' }).Count
            $proxyMasked = @($withFields | Where-Object { $_.invocation.fields.proxy_credentials_password -eq '****' }).Count
            $row.Observed = "$($withFields.Count) outputs; $masked with credentials ****, $proxyMasked with proxy credentials ****; unmasked: $(@($bad).Count)"
            $withFields.Count | Should -BeGreaterThan 10
            @($bad) | Should -BeNullOrEmpty
            $masked | Should -BeGreaterThan 5
            $proxyMasked | Should -BeGreaterThan 3
        }
    }
}
