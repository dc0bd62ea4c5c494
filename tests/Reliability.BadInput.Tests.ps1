# Bad input (issue 4): every row of tests/fixtures/BadInputCases.ps1 through the task wrapper (`& ./UeStepFunctionTask.ps1`)
# in a child pwsh: exit 20, DATA_VALIDATION_ERROR naming the field and the rule, and no request reaches the endpoint.
# All rows share ONE child process (a PowerShell start-up per row would cost a minute); the endpoint's request
# counter is read after all of them, so a single stray call fails the counter case.

BeforeDiscovery {
    $script:Cases = & (Join-Path $PSScriptRoot 'fixtures/BadInputCases.ps1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $script:Area = 'BadInput'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-badinput'
    $script:SetupError = $null
    $script:Results = @{}
    try {
        $script:Endpoint = Start-ReliabilityEndpoint -Directory $script:Dir
        $files = @{
            '{MISSING}' = Join-Path $script:Dir 'no-such-ca.pem'
            '{NOTPEM}'  = Join-Path $script:Dir 'not-pem.txt'
            '{BADCERT}' = Join-Path $script:Dir 'bad-cert.pem'
        }
        'this is a text file, not a certificate' | Set-Content $files['{NOTPEM}']
        "-----BEGIN CERTIFICATE-----`nbm90IGEgY2VydGlmaWNhdGU=`n-----END CERTIFICATE-----" | Set-Content $files['{BADCERT}']

        $baseline = @{ StateMachineArn = (Get-StateMachineArn 'Quick'); EndpointUrl = $script:Endpoint.Url; Region = $script:K.Region }
        $runCases = foreach ($c in (& (Join-Path $PSScriptRoot 'fixtures/BadInputCases.ps1'))) {
            $p = @{} + $baseline
            foreach ($name in @($c.Remove)) { if ($name) { $p.Remove($name) } }
            if ($c.Set) { foreach ($k in $c.Set.Keys) { $v = $c.Set[$k]; if ($files.ContainsKey([string]$v)) { $v = $files[$v] }; $p[$k] = $v } }
            $case = @{ Id = $c.Id; Parameters = $p }
            if ($c.Credential -is [hashtable]) { $case.Credential = $c.Credential }
            elseif ($c.Credential -ne 'none') { $case.Credential = @{ User = $script:K.AccessKeyId; Secret = $script:K.SecretKey } }
            $case
        }
        $script:CaseCount = @($runCases).Count
        Reset-EndpointCounter $script:Endpoint
        # No region or keys from the environment: a missing field must be missing.
        $env = @{ AWS_REGION = $null; AWS_DEFAULT_REGION = $null; AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null
            AWS_CONFIG_FILE = (Join-Path $script:Dir 'no-config'); AWS_SHARED_CREDENTIALS_FILE = (Join-Path $script:Dir 'no-credentials') }
        $script:Batch = @(Invoke-TaskWrapper -Cases @($runCases) -Environment $env -TimeoutSeconds 240)
        foreach ($r in $script:Batch) { $script:Results[$r.Id] = $r }
        $script:RequestsAfterBatch = Get-EndpointTotalRequest $script:Endpoint
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }

    # The field may be named as the seed spells it (state_machine_arn) or as the parameter (StateMachineArn).
    function Get-FieldPattern { param([string]$Field) '(?i)\b' + ($Field -replace '_', '_?') + '\b' }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    Update-ReliabilityDocument
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe 'Bad input through the task wrapper' {
    It '<Id>: exit 20 naming <Field>' -ForEach $script:Cases {
        $case = $_
        Invoke-ReliabilityCase -Area $script:Area -Case $case.Id -Expected "exit 20, DATA_VALIDATION_ERROR naming $($case.Field) and /$($case.Rule)/" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $r = $script:Results[$case.Id]
            if (-not $r -or -not $r.Found) { throw "the child process did not run this case: $($script:Batch[0].Run.StdErr)" }
            $description = if ($r.Json) { [string]$r.Json.status_description } else { "no JSON: $(($r.Text.Trim() -split "`n")[-1])" }
            $row.Observed = "exit $($r.ExitCode): $description"
            $r.ExitCode | Should -Be 20
            $description | Should -Match '^DATA_VALIDATION_ERROR:'
            $description | Should -Match (Get-FieldPattern $case.Field)
            $description | Should -Match "(?i)$($case.Rule)"
        }
    }

    It 'no bad-input case shows a password typed into a proxy URL' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'proxy password in the output of every case' `
            -Expected "no output contains the proxy URL's password (Pr0xy@Pass)" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $leaking = @($script:Batch | Where-Object { $_.Text -cmatch 'Pr0xy' } | ForEach-Object Id)
            $shown = @($script:Batch | Where-Object { $_.Text -cmatch '\*\*\*\*@' }).Count
            $row.Observed = "$($leaking.Count) case(s) showed it$(if ($leaking) { ': ' + ($leaking -join ', ') }); $shown showed the proxy as ****@host"
            $leaking | Should -BeNullOrEmpty
            # The cases did reach a message or field naming the proxy, so the check above could fail.
            $shown | Should -BeGreaterOrEqual 3
        }
    }

    It 'no bad-input case sent a request to the endpoint (and the counter does count)' {
        Invoke-ReliabilityCase -Area $script:Area -Case "request counter after all $($script:CaseCount) cases" `
            -Expected '0 requests; a valid control run afterwards is counted' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            # The control proves the counter is live, so the 0 above can fail.
            $control = Invoke-TaskWrapper -TimeoutSeconds 120 -Cases @(@{ Id = 'control'
                    Parameters = @{ StateMachineArn = (Get-StateMachineArn 'Quick'); EndpointUrl = $script:Endpoint.Url; Region = $script:K.Region }
                    Credential = @{ User = $script:K.AccessKeyId; Secret = $script:K.SecretKey } })
            $afterControl = Get-EndpointTotalRequest $script:Endpoint
            $row.Observed = "$($script:RequestsAfterBatch) requests after the bad-input cases; control run exit $($control[0].ExitCode), $afterControl requests after it"
            $script:RequestsAfterBatch | Should -Be 0
            $control[0].ExitCode | Should -Be 0
            $afterControl | Should -BeGreaterThan 0
        }
    }
}
