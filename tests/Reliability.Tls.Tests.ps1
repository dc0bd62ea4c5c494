# TLS to the endpoint (issue 4): the local endpoint over HTTPS with its own self-signed CA. Untrusted -> exit 10
# naming the certificate problem; trusted through AWS_CA_BUNDLE -> works; and no code path disables validation.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $script:Area = 'Tls'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-tls'
    $script:SetupError = $null
    try {
        $script:Endpoint = Start-ReliabilityEndpoint -Directory $script:Dir -Https
        # A second, unrelated CA: trusting the wrong CA must not make the endpoint trusted.
        $script:OtherCa = New-TestCertificateAuthority -Directory (Join-Path $script:Dir 'other-ca') -Name 'Unrelated Test CA'
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }

    # The task as a scheduler runs it: pwsh -File, keys from the environment.
    function Invoke-TlsTask {
        param([hashtable]$Environment = @{})
        $env = @{ AWS_ACCESS_KEY_ID = $script:K.AccessKeyId; AWS_SECRET_ACCESS_KEY = $script:K.SecretKey } + $Environment
        Invoke-TaskWrapperFile -Environment $env -TimeoutSeconds 120 -Arguments @(
            '-StateMachineArn', (Get-StateMachineArn 'Quick'), '-EndpointUrl', $script:Endpoint.Url, '-Region', $script:K.Region)
    }

    function Get-Observed {
        param($Result)
        "exit $($Result.ExitCode) in $([Math]::Round($Result.Run.Seconds, 1)) s: $(if ($Result.Json) { $Result.Json.status_description } else { ($Result.Text.Trim() -split "`n")[-1] })"
    }

    # Patterns that switch certificate validation off (C#), written as regexes over whole files so multi-line
    # lambdas are caught too; each has a known-bad sample below that it must match, so the scan can fail.
    $script:DisablingPatterns = [ordered]@{
        'DangerousAcceptAnyServerCertificateValidator' = 'DangerousAcceptAnyServerCertificateValidator'
        'validation callback that returns true'        = '(?s)(CertificateCustomValidationCallback|CertificateValidationCallback|RemoteCertificateValidationCallback|ValidationCallback)\s*\+?=\s*(?:new\s+\w+\s*\(\s*)?(?:delegate\s*(?:\([^)]*\))?|\([^)]*\)|\w+)\s*(?:=>)?\s*\{?\s*(?:return\s+)?true\b'
        'certificate check skipped (PowerShell)'       = '(?i)-SkipCertificateCheck\b|SkipCertificateCheck\s*=\s*\$true'
        'revocation/name errors ignored'               = '(?i)SslPolicyErrors\.RemoteCertificateNameMismatch\s*\)\s*==\s*0\s*\|\|\s*true|CheckCertificateName\s*=\s*false'
    }
    $script:BadSamples = @(
        'handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;'
        "handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) =>`n    true;"
        'ServicePointManager.ServerCertificateValidationCallback += delegate { return true; };'
        'handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => { return true; };'
        'Invoke-RestMethod -Uri $u -SkipCertificateCheck'
    )
    function Find-ValidationBypass {
        param([string]$Text)
        @($script:DisablingPatterns.GetEnumerator() | Where-Object { [regex]::IsMatch($Text, $_.Value) } | ForEach-Object Key)
    }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    Update-ReliabilityDocument
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe 'TLS to the endpoint' {
    It 'an endpoint certificate from an untrusted CA ends with exit 10 naming the certificate problem' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTPS endpoint, CA not trusted' `
            -Expected 'exit 10, CONNECTION_ERROR naming the certificate problem' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $r = Invoke-TlsTask
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 10
            $r.Json.status_description | Should -Match '^CONNECTION_ERROR:'
            $r.Json.status_description | Should -Match '(?i)certificate'
            $r.Json.status_description | Should -Match '(?i)untrusted|not trusted|UntrustedRoot|PartialChain|chain|unknown (certificate )?authority|RemoteCertificate'
        }
    }

    It 'trusting the endpoint CA through AWS_CA_BUNDLE makes it work' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTPS endpoint, AWS_CA_BUNDLE = its CA' -Expected 'exit 0, SUCCESS' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $r = Invoke-TlsTask -Environment @{ AWS_CA_BUNDLE = $script:Endpoint.CaFile }
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 0
            $r.Json.status_description | Should -Match '^SUCCESS:'
            $r.Json.result.executionArn | Should -Match ':execution:Quick:'
        }
    }

    It 'trusting an unrelated CA does not make the endpoint trusted' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTPS endpoint, AWS_CA_BUNDLE = an unrelated CA' `
            -Expected 'exit 10, CONNECTION_ERROR naming the certificate problem' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $r = Invoke-TlsTask -Environment @{ AWS_CA_BUNDLE = $script:OtherCa.CaFile }
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 10
            $r.Json.status_description | Should -Match '(?i)certificate'
        }
    }

    It 'an unreadable AWS_CA_BUNDLE with an HTTPS endpoint is a validation error naming it' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'HTTPS endpoint, AWS_CA_BUNDLE = a file that does not exist' `
            -Expected 'exit 20, naming AWS_CA_BUNDLE' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $r = Invoke-TlsTask -Environment @{ AWS_CA_BUNDLE = (Join-Path $script:Dir 'missing-bundle.pem') }
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 20
            $r.Json.status_description | Should -Match 'AWS_CA_BUNDLE'
        }
    }

    It 'AWS_CA_BUNDLE is not read when no connection uses TLS, as with the AWS CLI' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'http:// endpoint, AWS_CA_BUNDLE = a file that is not PEM' `
            -Expected 'exit 0, SUCCESS (the bundle is only read for TLS)' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $plain = Start-ReliabilityEndpoint -Directory (Join-Path $script:Dir 'plain')
            try {
                $garbage = Join-Path $script:Dir 'not-a-bundle.pem'
                Set-Content -Path $garbage -Value 'not a certificate'
                $env = @{ AWS_ACCESS_KEY_ID = $script:K.AccessKeyId; AWS_SECRET_ACCESS_KEY = $script:K.SecretKey; AWS_CA_BUNDLE = $garbage }
                $r = Invoke-TaskWrapperFile -Environment $env -TimeoutSeconds 120 -Arguments @(
                    '-StateMachineArn', (Get-StateMachineArn 'Quick'), '-EndpointUrl', $plain.Url, '-Region', $script:K.Region)
                $row.Observed = Get-Observed $r
                $r.ExitCode | Should -Be 0
                $r.Json.status_description | Should -Match '^SUCCESS:'
            } finally { $plain.Stop() }
        }
    }

    It 'no code path disables certificate validation' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'source scan of src/ and the module scripts for validation bypasses' `
            -Expected 'no match (and every known-bad sample matches)' -Body {
            param($row)
            # The scan must be able to fail: every known-bad sample is caught.
            foreach ($sample in $script:BadSamples) { Find-ValidationBypass $sample | Should -Not -BeNullOrEmpty -Because "the scan must catch: $sample" }
            $files = @(Get-ChildItem (Join-Path $script:K.RepoRoot 'src') -Recurse -File -Include '*.cs', '*.ps1', '*.psm1' |
                    Where-Object FullName -notmatch '[\\/](bin|obj)[\\/]') +
                @(Get-ChildItem (Join-Path $script:K.RepoRoot '*') -File -Include '*.ps1', '*.psm1' -ErrorAction SilentlyContinue)
            $hits = foreach ($f in $files) {
                foreach ($name in Find-ValidationBypass ([System.IO.File]::ReadAllText($f.FullName))) {
                    "$($f.FullName.Substring($script:K.RepoRoot.Length + 1)): $name"
                }
            }
            $row.Observed = "$($files.Count) files scanned, $(@($hits).Count) bypasses$(if ($hits) { ': ' + ($hits -join '; ') })"
            $files.Count | Should -BeGreaterThan 20
            @($hits) | Should -BeNullOrEmpty
        }
    }
}
