# Concurrency (issue 4): 32 runspaces of one process start and wait on executions at once, with 16 identities
# (8 IAM users and 8 assumed-role sessions of 2 roles), two runspaces per identity so the shared client cache is
# hit concurrently. The endpoint's request log names the caller of every StartExecution; the AWS CLI lists the
# executions independently.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $script:Area = 'Concurrency'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-concurrency'
    $script:RunId = 'conc' + [Guid]::NewGuid().ToString('n').Substring(0, 6)
    $script:SetupError = $null
    $account = $script:K.Account
    try {
        $users = foreach ($i in 0..7) {
            $key = 'AKIACONC' + (-join (1..12 | ForEach-Object { [char[]]'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567' | Get-Random }))
            [pscustomobject]@{ Name = "conc-user-$i"; Key = $key; Secret = [Guid]::NewGuid().ToString('n') + [Guid]::NewGuid().ToString('n') }
        }
        $roles = @("arn:aws:iam::$($account):role/ConcurrencyA", "arn:aws:iam::$($account):role/ConcurrencyB")
        $config = Join-Path $script:Dir 'access.json'
        @{
            defaultUser = $true
            users       = @($users | ForEach-Object { @{ name = $_.Name; accessKeyId = $_.Key; secretAccessKey = $_.Secret; actions = @('states:*', 'sts:AssumeRole') } })
            roles       = @($roles | ForEach-Object { @{ roleArn = $_; actions = @('states:*'); durationSeconds = 900 } })
        } | ConvertTo-Json -Depth 6 | Set-Content $config
        $script:Endpoint = Start-ReliabilityEndpoint -Directory $script:Dir -ConfigPath $config

        # 16 identities: user i directly, and user i through role A or B with its own session name.
        $identities = @(foreach ($i in 0..7) {
                [pscustomobject]@{ User = $users[$i]; RoleArn = $null; Session = $null; Principal = "arn:aws:iam::$($account):user/$($users[$i].Name)" }
            }) + @(foreach ($i in 0..7) {
                $role = $roles[$i % 2]
                [pscustomobject]@{ User = $users[$i]; RoleArn = $role; Session = "conc-session-$i"
                    Principal = "arn:aws:sts::$($account):assumed-role/$($role.Split('/')[-1])/conc-session-$i" }
            })
        $script:Workers = foreach ($j in 0..31) {
            [pscustomobject]@{ Index = $j; Identity = $identities[$j % 16]; Name = "$($script:RunId)-$j" }
        }

        Clear-EndpointFault $script:Endpoint
        $null = Invoke-EndpointControl -Endpoint $script:Endpoint -Method DELETE -Path '/_local/requests'

        $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $iss.ImportPSModule($script:K.ManifestPath)
        $pool = [runspacefactory]::CreateRunspacePool(32, 32, $iss, $Host)
        $pool.Open()
        $worker = {
            param($StateMachineArn, $Name, $EndpointUrl, $Key, $Secret, $RoleArn, $Session)
            $credential = [pscredential]::new($Key, (ConvertTo-SecureString $Secret -AsPlainText -Force))
            $p = @{ StateMachineArn = $StateMachineArn; ExecutionName = $Name; EndpointUrl = $EndpointUrl; Region = 'us-east-1'
                Credential = $credential; Wait = $true; PollingInterval = 0.5; Confirm = $false }
            if ($RoleArn) { $p.RoleArn = $RoleArn; $p.RoleSessionName = $Session }
            Start-UeStepFunction @p -ErrorAction SilentlyContinue -ErrorVariable failures
            foreach ($f in $failures) { "ERROR: $f" }
        }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $jobs = foreach ($w in $script:Workers) {
            $ps = [powershell]::Create()
            $ps.RunspacePool = $pool
            $null = $ps.AddScript($worker.ToString()).AddParameters(@{
                    StateMachineArn = (Get-StateMachineArn 'Short'); Name = $w.Name; EndpointUrl = $script:Endpoint.Url
                    Key = $w.Identity.User.Key; Secret = $w.Identity.User.Secret; RoleArn = $w.Identity.RoleArn; Session = $w.Identity.Session })
            [pscustomobject]@{ Worker = $w; PowerShell = $ps; Async = $ps.BeginInvoke() }
        }
        foreach ($job in $jobs) {
            # A hung worker must not hang the suite: give all of them two minutes together.
            $left = [Math]::Max(1, 120000 - [int]$watch.ElapsedMilliseconds)
            $done = $job.Async.AsyncWaitHandle.WaitOne($left)
            $out = if ($done) { @($job.PowerShell.EndInvoke($job.Async)) } else { $job.PowerShell.Stop(); @('ERROR: still running after 120 s') }
            $job.Worker | Add-Member -NotePropertyName Output -NotePropertyValue @($out | Where-Object { $_ -and $_.PSObject.Properties['exit_code'] })
            $job.Worker | Add-Member -NotePropertyName Errors -NotePropertyValue (@($out | Where-Object { $_ -is [string] -and $_.StartsWith('ERROR:') }) + @($job.PowerShell.Streams.Error | ForEach-Object { "ERROR: $_" }))
            $job.PowerShell.Dispose()
        }
        $script:Seconds = $watch.Elapsed.TotalSeconds
        $pool.Dispose()
        $script:Requests = Get-EndpointRequest $script:Endpoint
        $script:Executions = @(Get-EndpointExecution -Endpoint $script:Endpoint -StateMachineArn (Get-StateMachineArn 'Short') | Where-Object { $_.name -like "$($script:RunId)-*" })
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    Update-ReliabilityDocument
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe '32 runspaces starting and waiting at once' {
    It 'every runspace ends SUCCEEDED with its own execution' {
        Invoke-ReliabilityCase -Area $script:Area -Case '32 runspaces, Start-UeStepFunction -Wait, 16 identities' `
            -Expected 'each: exit 0, SUCCEEDED, its own name; within 120 s' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $bad = foreach ($w in $script:Workers) {
                $o = $w.Output | Select-Object -First 1
                if (-not $o -or $o.exit_code -ne 0 -or $o.result.status -ne 'SUCCEEDED' -or $o.result.name -ne "$($w.Name)-1") {
                    "worker $($w.Index): $(if ($o) { "exit $($o.exit_code) $($o.result.status) $($o.result.name)" } else { 'no output' }) $($w.Errors | Select-Object -First 1)"
                }
            }
            $row.Observed = "$(32 - @($bad).Count)/32 succeeded in $([Math]::Round($script:Seconds, 1)) s$(if ($bad) { '; ' + (@($bad)[0..2] -join '; ') })"
            @($bad) | Should -BeNullOrEmpty
        }
    }

    It 'every execution was started by the identity that asked for it' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'caller of each StartExecution (endpoint request log)' `
            -Expected 'each of the 16 principals made exactly 2 successful StartExecution calls; no other caller' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $starts = @($script:Requests | Where-Object { $_.operation -eq 'StartExecution' -and $_.statusCode -eq 200 })
            $expected = $script:Workers | Group-Object { $_.Identity.Principal } | ForEach-Object { "$($_.Name)=$($_.Count)" } | Sort-Object
            $actual = $starts | Group-Object principalArn | ForEach-Object { "$($_.Name)=$($_.Count)" } | Sort-Object
            $diff = @(Compare-Object @($expected) @($actual) | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" })
            $row.Observed = "$($starts.Count) StartExecution calls from $(@($actual).Count) principals; differences: $(if ($diff) { $diff -join '; ' } else { 'none' })"
            $starts.Count | Should -Be 32
            $diff | Should -BeNullOrEmpty
        }
    }

    It 'no execution was lost or started twice' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'executions listed by the AWS CLI' -Expected '32 executions, 32 distinct names, all SUCCEEDED, one per runspace' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $names = @($script:Executions | ForEach-Object name | Sort-Object -Unique)
            $wanted = @($script:Workers | ForEach-Object { "$($_.Name)-1" } | Sort-Object)
            $succeeded = @($script:Executions | Where-Object status -eq 'SUCCEEDED').Count
            $row.Observed = "$($script:Executions.Count) executions, $($names.Count) distinct names, $succeeded SUCCEEDED"
            $script:Executions.Count | Should -Be 32
            Compare-Object $wanted $names | Should -BeNullOrEmpty
            $succeeded | Should -Be 32
        }
    }

    It 'the shared client cache never mixed identities up (no request refused)' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'status of every request during the run' `
            -Expected 'no 4xx/5xx (a credential mix-up would show as AccessDenied or a signature error)' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $refused = @($script:Requests | Where-Object { $_.statusCode -ne 200 })
            $assumes = @($script:Requests | Where-Object operation -eq 'AssumeRole').Count
            $row.Observed = "$(@($script:Requests).Count) requests, $assumes AssumeRole, $($refused.Count) refused$(if ($refused) { ': ' + (($refused | Select-Object -First 3 | ForEach-Object { "$($_.operation) $($_.statusCode) $($_.errorCode)" }) -join '; ') })"
            @($script:Requests).Count | Should -BeGreaterThan 64
            $refused | Should -BeNullOrEmpty
            # Each of the 8 role sessions needs its own AssumeRole; a cache keyed wrongly would share or repeat them.
            $assumes | Should -BeGreaterOrEqual 8
        }
    }
}
