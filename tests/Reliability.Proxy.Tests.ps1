# Real proxies (issue 4): tinyproxy with basic authentication, tinyproxy refusing CONNECT, stunnel in front of
# tinyproxy for an https:// proxy URL, and the HTTPS_PROXY/HTTP_PROXY/NO_PROXY environment. Every case runs the
# task wrapper in a child pwsh against the local endpoint; the proxy's own log proves the traffic went through it.
#
# Plain http:// endpoint traffic through a proxy is a forward POST; an https:// endpoint is reached with CONNECT.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $script:Area = 'Proxy'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-proxy'
    $script:ProxyUser = 'relproxy'
    # Random per run: a leak of a fixed string could hide in old logs; this one can only come from this run.
    $script:ProxyPassword = 'Px-' + [Guid]::NewGuid().ToString('n').Substring(0, 16)
    $script:SetupError = $null
    $script:Stoppable = [System.Collections.Generic.List[object]]::new()
    $script:Results = @{}
    try {
        $script:HttpsEndpoint = Start-ReliabilityEndpoint -Directory (Join-Path $script:Dir 'https') -Https
        $script:Stoppable.Add($script:HttpsEndpoint)
        $script:HttpEndpoint = Start-ReliabilityEndpoint -Directory (Join-Path $script:Dir 'http')
        $script:Stoppable.Add($script:HttpEndpoint)
        $script:ProxyCa = New-TestCertificateAuthority -Directory (Join-Path $script:Dir 'proxy-ca') -Name 'Reliability Proxy CA'
        # One proxy per case that reads a proxy log, so the explicit-proxy cases can share one child process and
        # each log still shows only its own case. tinyproxy starts in milliseconds.
        function New-AuthProxy { param([string]$Name, [int[]]$ConnectPort = @($script:HttpsEndpoint.Port))
            $p = Start-TinyProxy -Directory $script:Dir -Name $Name -User $script:ProxyUser -Password $script:ProxyPassword -ConnectPort $ConnectPort
            $script:Stoppable.Add($p); $p }
        function New-TlsFront { param($Behind)
            $f = Start-TlsProxyFront -Directory (New-Item -ItemType Directory -Force (Join-Path $script:Dir "tls-$($Behind.Name)")).FullName -TargetPort $Behind.Port -CertFile $script:ProxyCa.CertFile -KeyFile $script:ProxyCa.KeyFile
            $script:Stoppable.Add($f); $f }
        $script:Proxies = @{
            Forward   = New-AuthProxy 'forward'
            Connect   = New-AuthProxy 'connect'
            Wrong     = New-AuthProxy 'wrong'
            NoConnect = New-AuthProxy 'noconnect' -ConnectPort 1
            TlsOk     = New-AuthProxy 'tls-ok'
            TlsBad    = New-AuthProxy 'tls-bad'
        }
        $script:TlsOk = New-TlsFront $script:Proxies.TlsOk
        $script:TlsBad = New-TlsFront $script:Proxies.TlsBad
        $script:DownUrl = "http://127.0.0.1:$(Get-FreeTcpPort)"
        $script:OpenProxy = Start-TinyProxy -Directory $script:Dir -Name 'open' -ConnectPort $script:HttpsEndpoint.Port
        $script:Stoppable.Add($script:OpenProxy)

        $good = @{ User = $script:ProxyUser; Secret = $script:ProxyPassword }
        $wrong = @{ User = $script:ProxyUser; Secret = 'wrong-' + $script:ProxyPassword }
        function New-ProxyCase { param([string]$Id, [switch]$Https, [hashtable]$Parameters, $ProxyCredential)
            $endpoint = if ($Https) { $script:HttpsEndpoint } else { $script:HttpEndpoint }
            @{ Id = $Id; ProxyCredential = $ProxyCredential; Credential = @{ User = $script:K.AccessKeyId; Secret = $script:K.SecretKey }
                Parameters = @{ StateMachineArn = (Get-StateMachineArn 'Quick'); EndpointUrl = $endpoint.Url; Region = $script:K.Region } + $Parameters }
        }
        $cases = @(
            New-ProxyCase 'forward' -Parameters @{ Proxy = $script:Proxies.Forward.Url; ProxyType = 'http' } -ProxyCredential $good
            New-ProxyCase 'connect' -Https -Parameters @{ Proxy = $script:Proxies.Connect.Url; ProxyType = 'https with credentials' } -ProxyCredential $good
            New-ProxyCase 'wrong-connect' -Https -Parameters @{ Proxy = $script:Proxies.Wrong.Url; ProxyType = 'https with credentials' } -ProxyCredential $wrong
            New-ProxyCase 'wrong-forward' -Parameters @{ Proxy = $script:Proxies.Wrong.Url; ProxyType = 'http' } -ProxyCredential $wrong
            New-ProxyCase 'down' -Https -Parameters @{ Proxy = $script:DownUrl; ProxyType = 'https with credentials' } -ProxyCredential $good
            New-ProxyCase 'noconnect' -Https -Parameters @{ Proxy = $script:Proxies.NoConnect.Url; ProxyType = 'https with credentials' } -ProxyCredential $good
            New-ProxyCase 'tls-ok' -Https -Parameters @{ Proxy = $script:TlsOk.Url; ProxyType = 'https with credentials'; ProxyCaBundleFile = $script:ProxyCa.CaFile } -ProxyCredential $good
            New-ProxyCase 'tls-bad' -Https -Parameters @{ Proxy = $script:TlsBad.Url; ProxyType = 'https with credentials' } -ProxyCredential $good
        )
        # The https:// endpoint's CA is trusted for every case; it changes nothing for the http:// one.
        foreach ($r in Invoke-TaskWrapper -Cases $cases -Environment @{ AWS_CA_BUNDLE = $script:HttpsEndpoint.CaFile } -TimeoutSeconds 300) { $script:Results[$r.Id] = $r }
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }

    function Get-Result {
        param([string]$Id)
        if ($script:SetupError) { throw $script:SetupError }
        $r = $script:Results[$Id]
        if (-not $r -or -not $r.Found) { throw "the child process did not run case '$Id': $(@($script:Results.Values)[0].Run.StdErr)" }
        $r
    }

    function Get-Observed {
        param($Result, [string]$Extra)
        $what = if ($Result.Json) { $Result.Json.status_description } else { "no JSON: $((($Result.Text.Trim()) -split "`n")[-1])" }
        "exit $($Result.ExitCode): $what$(if ($Extra) { "; $Extra" })"
    }

    # What a proxy logged after a given point (its log only grows).
    function Get-LogSince { param($Proxy, [int]$Offset) $log = $Proxy.ReadLog(); if ($log.Length -gt $Offset) { $log.Substring($Offset) } else { '' } }

    function Assert-ProxyFailure {
        param($Result, [string]$ProxyUrl)
        $Result.ExitCode | Should -Be 11
        $Result.Json.status_description | Should -BeLikeExactly "CONNECTION_ERROR: ProxyConnectionError: Failed to connect to proxy URL $ProxyUrl*"
        # The proxy forwarded nothing: no "may have started" (and so no read-back), whatever the proxy answered.
        $Result.Json.status_description | Should -Not -Match 'may have'
        $Result.Json.changed | Should -BeFalse
        # The URL is shown without credentials, and the password is nowhere in what the task wrote.
        $Result.Json.status_description | Should -Not -Match '@'
        $Result.Text | Should -Not -Match ([regex]::Escape($script:ProxyPassword))
    }
}

AfterAll {
    foreach ($c in $script:Stoppable) { if ($c) { $c.Stop() } }
    Update-ReliabilityDocument
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe 'An HTTP proxy with basic authentication (tinyproxy)' {
    It '-ProxyType Http with -ProxyCredential forwards the request through the proxy' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'ProxyType Http, authenticated, http:// endpoint' `
            -Expected 'exit 0; proxy log shows the forwarded POST' -Body {
            param($row)
            $r = Get-Result 'forward'
            $seen = [regex]::IsMatch($script:Proxies.Forward.ReadLog(), "POST http://127\.0\.0\.1:$($script:HttpEndpoint.Port)/")
            $row.Observed = Get-Observed $r "proxy log POST to the endpoint: $seen"
            $r.ExitCode | Should -Be 0
            $seen | Should -BeTrue
        }
    }

    It '-ProxyType HttpsWithCredentials tunnels to the https:// endpoint with CONNECT' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'ProxyType HttpsWithCredentials, https:// endpoint (CONNECT)' `
            -Expected 'exit 0; proxy log shows CONNECT to the endpoint' -Body {
            param($row)
            $r = Get-Result 'connect'
            $seen = [regex]::IsMatch($script:Proxies.Connect.ReadLog(), "CONNECT 127\.0\.0\.1:$($script:HttpsEndpoint.Port)\b")
            $row.Observed = Get-Observed $r "proxy log CONNECT to the endpoint: $seen"
            $r.ExitCode | Should -Be 0
            $seen | Should -BeTrue
        }
    }

    It 'a wrong proxy password ends with exit 11 (CONNECT)' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'wrong proxy password, https:// endpoint (CONNECT)' `
            -Expected "exit 11, 'ProxyConnectionError: Failed to connect to proxy URL <url>' without credentials" -Body {
            param($row)
            $r = Get-Result 'wrong-connect'
            $row.Observed = Get-Observed $r
            Assert-ProxyFailure $r $script:Proxies.Wrong.Url
        }
    }

    It 'a wrong proxy password ends with exit 11 (forwarded request)' {
        # tinyproxy answers a wrong password with 401 (not 407): the task must still see a proxy failure.
        Invoke-ReliabilityCase -Area $script:Area -Case 'wrong proxy password, http:// endpoint (forward)' `
            -Expected "exit 11, 'ProxyConnectionError: Failed to connect to proxy URL <url>'" -Body {
            param($row)
            $r = Get-Result 'wrong-forward'
            $row.Observed = Get-Observed $r
            Assert-ProxyFailure $r $script:Proxies.Wrong.Url
        }
    }

    It 'a proxy that is down ends with exit 11' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'proxy down (closed port)' `
            -Expected "exit 11, 'ProxyConnectionError: Failed to connect to proxy URL <url>'" -Body {
            param($row)
            $r = Get-Result 'down'
            $row.Observed = Get-Observed $r
            Assert-ProxyFailure $r $script:DownUrl
        }
    }

    It 'a proxy that refuses CONNECT ends with exit 11' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'proxy refusing CONNECT (ConnectPort elsewhere)' `
            -Expected "exit 11, 'ProxyConnectionError: Failed to connect to proxy URL <url>'; proxy log shows the refusal" -Body {
            param($row)
            $r = Get-Result 'noconnect'
            $refused = $script:Proxies.NoConnect.ReadLog() -match 'Refused CONNECT'
            $row.Observed = Get-Observed $r "proxy log refused CONNECT: $refused"
            Assert-ProxyFailure $r $script:Proxies.NoConnect.Url
            $refused | Should -BeTrue
        }
    }
}

Describe 'A slow endpoint behind a working proxy' {
    It 'is a connection error (10), not a proxy error (11)' {
        # The proxy answers at once; only the endpoint is slow. Blaming the proxy would send the operator to the wrong team.
        Invoke-ReliabilityCase -Area $script:Area -Case 'endpoint slower than -RequestTimeout, through a working authenticated proxy' `
            -Expected 'exit 10 (CONNECTION_ERROR, not ProxyConnectionError)' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            Add-EndpointFault $script:HttpEndpoint -Operation '*' -Kind delay -Count 100000 -DelayMs 10000
            try {
                $case = @{ Id = 'slow'; Credential = @{ User = $script:K.AccessKeyId; Secret = $script:K.SecretKey }
                    ProxyCredential = @{ User = $script:ProxyUser; Secret = $script:ProxyPassword }
                    Parameters = @{ StateMachineArn = (Get-StateMachineArn 'Quick'); EndpointUrl = $script:HttpEndpoint.Url; Region = $script:K.Region
                        Proxy = $script:Proxies.Forward.Url; ProxyType = 'http'; RequestTimeout = '1' } }
                $r = @(Invoke-TaskWrapper -Cases @($case) -TimeoutSeconds 120)[0]
            } finally {
                Clear-EndpointFault $script:HttpEndpoint
            }
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 10
            $r.Json.status_description | Should -Match '^CONNECTION_ERROR:'
            $r.Json.status_description | Should -Not -Match 'ProxyConnectionError'
        }
    }
}

Describe 'A proxy reached over TLS (stunnel in front of tinyproxy)' {
    It 'works with -ProxyCaBundleFile' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'https:// proxy URL with -ProxyCaBundleFile' `
            -Expected 'exit 0; the proxy behind stunnel logs the CONNECT' -Body {
            param($row)
            $r = Get-Result 'tls-ok'
            $seen = [regex]::IsMatch($script:Proxies.TlsOk.ReadLog(), "CONNECT 127\.0\.0\.1:$($script:HttpsEndpoint.Port)\b")
            $row.Observed = Get-Observed $r "proxy log CONNECT: $seen"
            $r.ExitCode | Should -Be 0
            $seen | Should -BeTrue
        }
    }

    It 'reads a relative -ProxyCaBundleFile from PowerShell''s current location' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'relative -ProxyCaBundleFile after Set-Location' `
            -Expected 'exit 0: the file is found from $PWD, although the process''s own directory is elsewhere' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            # Set-Location moves $PWD only, never the process's current directory: a path resolved by .NET alone is looked
            # for in the directory pwsh started in.
            $script = @'
Import-Module $env:REL_MANIFEST
Set-Location -LiteralPath $env:REL_CA_FOLDER
$key = [pscredential]::new($env:REL_KEY, (ConvertTo-SecureString $env:REL_SECRET -AsPlainText -Force))
$proxyKey = [pscredential]::new($env:REL_PROXY_USER, (ConvertTo-SecureString $env:REL_PROXY_PASSWORD -AsPlainText -Force))
try {
    $r = Start-UeStepFunction -StateMachineArn $env:REL_ARN -EndpointUrl $env:REL_ENDPOINT -Region $env:REL_REGION -Credential $key `
        -Proxy $env:REL_PROXY -ProxyType HttpsWithCredentials -ProxyCredential $proxyKey -ProxyCaBundleFile $env:REL_CA_NAME -ErrorAction Stop
    "exit=$($r.exit_code) status=$($r.result.status)"
} catch { "exit=$($_.Exception.ExitCode) $($_.Exception.Message)" }
"process directory=$([Environment]::CurrentDirectory)"
'@
            $run = Invoke-CapturedProcess -Command (@(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command', $script)) -TimeoutSeconds 120 -Environment @{
                REL_MANIFEST = $script:K.ManifestPath; REL_CA_FOLDER = (Split-Path -Parent $script:ProxyCa.CaFile); REL_CA_NAME = (Split-Path -Leaf $script:ProxyCa.CaFile)
                REL_KEY = $script:K.AccessKeyId; REL_SECRET = $script:K.SecretKey; REL_PROXY_USER = $script:ProxyUser; REL_PROXY_PASSWORD = $script:ProxyPassword
                REL_ARN = (Get-StateMachineArn 'Quick'); REL_ENDPOINT = $script:HttpsEndpoint.Url; REL_REGION = $script:K.Region; REL_PROXY = $script:TlsOk.Url
                AWS_CA_BUNDLE = $script:HttpsEndpoint.CaFile
            }
            $text = ($run.StdOut + $run.StdErr).Trim()
            $row.Observed = ($text -split "`n" | Select-Object -First 2) -join '; '
            $text | Should -Not -Match ([regex]::Escape($script:ProxyPassword))
            $text | Should -Not -Match ([regex]::Escape("process directory=$(Split-Path -Parent $script:ProxyCa.CaFile)"))
            $text | Should -Match 'exit=0 status=RUNNING'
        }
    }

    It 'fails closed without -ProxyCaBundleFile' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'https:// proxy URL, proxy CA not trusted' `
            -Expected 'exit 11 with the proxy URL and the certificate problem; nothing reaches the proxy' -Body {
            param($row)
            $r = Get-Result 'tls-bad'
            $leaked = $script:Proxies.TlsBad.ReadLog() -match 'Request \(file descriptor'
            $named = $r.Text -match '(?i)certificate|TLS|SSL'
            $row.Observed = Get-Observed $r "a request reached the proxy: $leaked; output names the TLS/certificate problem: $named"
            Assert-ProxyFailure $r $script:TlsBad.Url
            $leaked | Should -BeFalse
            # Exit 11 alone would not tell an operator why.
            $named | Should -BeTrue -Because 'the task output must name the TLS/certificate problem with the proxy'
        }
    }
}

Describe 'HTTPS_PROXY, HTTP_PROXY and NO_PROXY without proxy parameters' {
    BeforeAll {
        function Invoke-EnvProxyTask {
            param([switch]$Https, [hashtable]$Environment)
            $endpoint = if ($Https) { $script:HttpsEndpoint } else { $script:HttpEndpoint }
            $env = @{ AWS_ACCESS_KEY_ID = $script:K.AccessKeyId; AWS_SECRET_ACCESS_KEY = $script:K.SecretKey } + $Environment
            if ($Https) { $env['AWS_CA_BUNDLE'] = $endpoint.CaFile }
            Invoke-TaskWrapperFile -Environment $env -TimeoutSeconds 150 -Arguments @(
                '-StateMachineArn', (Get-StateMachineArn 'Quick'), '-EndpointUrl', $endpoint.Url, '-Region', $script:K.Region)
        }
    }

    It 'HTTPS_PROXY carries the https:// endpoint traffic' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTPS_PROXY set, https:// endpoint' -Expected 'exit 0; proxy log shows CONNECT' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $offset = $script:OpenProxy.ReadLog().Length
            $r = Invoke-EnvProxyTask -Https -Environment @{ HTTPS_PROXY = $script:OpenProxy.Url }
            $seen = [regex]::IsMatch((Get-LogSince $script:OpenProxy $offset), "CONNECT 127\.0\.0\.1:$($script:HttpsEndpoint.Port)\b")
            $row.Observed = Get-Observed $r "proxy log CONNECT: $seen"
            $r.ExitCode | Should -Be 0
            $seen | Should -BeTrue
        }
    }

    It 'HTTP_PROXY carries the http:// endpoint traffic' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTP_PROXY set, http:// endpoint' -Expected 'exit 0; proxy log shows the forwarded POST' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $offset = $script:OpenProxy.ReadLog().Length
            $r = Invoke-EnvProxyTask -Environment @{ HTTP_PROXY = $script:OpenProxy.Url }
            $seen = [regex]::IsMatch((Get-LogSince $script:OpenProxy $offset), "POST http://127\.0\.0\.1:$($script:HttpEndpoint.Port)/")
            $row.Observed = Get-Observed $r "proxy log POST: $seen"
            $r.ExitCode | Should -Be 0
            $seen | Should -BeTrue
        }
    }

    It 'NO_PROXY bypasses the proxy' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTP_PROXY and HTTPS_PROXY set, NO_PROXY=127.0.0.1' `
            -Expected 'exit 0; nothing in the proxy log' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $offset = $script:OpenProxy.ReadLog().Length
            $r = Invoke-EnvProxyTask -Environment @{ HTTP_PROXY = $script:OpenProxy.Url; HTTPS_PROXY = $script:OpenProxy.Url; NO_PROXY = '127.0.0.1' }
            $through = (Get-LogSince $script:OpenProxy $offset) -match 'Request \(file descriptor'
            $row.Observed = Get-Observed $r "went through the proxy: $through"
            $r.ExitCode | Should -Be 0
            $through | Should -BeFalse
        }
    }

    It 'an HTTPS_PROXY that is down ends with exit 11' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTPS_PROXY set to a closed port' `
            -Expected "exit 11, 'ProxyConnectionError: Failed to connect to proxy URL <url>'" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $down = "http://127.0.0.1:$(Get-FreeTcpPort)"
            $r = Invoke-EnvProxyTask -Https -Environment @{ HTTPS_PROXY = $down }
            $row.Observed = Get-Observed $r
            Assert-ProxyFailure $r $down
        }
    }
}
