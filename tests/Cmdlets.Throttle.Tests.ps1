# Pipeline input with -ThrottleLimit: several calls in flight from one cmdlet, proven by the endpoint's own
# in-flight gauge (GET /_local/concurrency) while injected delays hold requests open; every input started
# exactly once, every outcome written (also when one input fails, and with -ErrorAction Stop), Ctrl+C.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "throttle-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint
    # The reliability suite's control-plane helpers, and only those (its Get-StateMachineArn differs from TestHelpers').
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Function Add-EndpointFault, Clear-EndpointFault -Force

    function Add-Delay {
        param([string]$Operation, [int]$Count, [int]$DelayMs)
        Add-EndpointFault -Endpoint $script:Endpoint -Operation $Operation -Kind delay -Count $Count -DelayMs $DelayMs
    }

    function Get-MaxInFlight {
        param([string]$Operation)
        (Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/concurrency").$Operation.maxInFlight
    }

    <# Every execution the endpoint stored for a machine (its control plane: not the module under test). #>
    function Get-StoredExecution([string]$Machine) {
        (Invoke-RestMethod "$($script:Endpoint.Url)/_local/executions?stateMachineArn=$([uri]::EscapeDataString($Machine))").executions
    }

    function Reset-Endpoint {
        Reset-EndpointCounters $script:Endpoint
        Clear-EndpointFault $script:Endpoint
    }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Start-UeStepFunction -ThrottleLimit' {
    BeforeEach { Reset-Endpoint }

    It 'keeps exactly that many starts in flight and starts every input once' {
        Add-Delay StartExecution 12 1000
        $out = @(1..12 | ForEach-Object { Get-StateMachineArn Hello } | Start-UeStepFunction -ThrottleLimit 4 @script:Conn)
        $out.Count | Should -Be 12
        @($out.exit_code | Where-Object { $_ -ne 0 }).Count | Should -Be 0
        @($out.result.ExecutionArn | Sort-Object -Unique).Count | Should -Be 12
        (Get-EndpointCounters $script:Endpoint).StartExecution | Should -Be 12
        Get-MaxInFlight StartExecution | Should -Be 4
    }

    It 'is one at a time, in input order, by default' {
        Add-Delay StartExecution 4 100
        $rows = 1..4 | ForEach-Object { [pscustomobject]@{ StateMachineArn = (Get-StateMachineArn Hello); ExecutionName = "inorder$_$([guid]::NewGuid().ToString('n').Substring(0, 6))" } }
        $out = @($rows | Start-UeStepFunction @script:Conn)
        $out.invocation.fields.execution_name | Should -Be $rows.ExecutionName
        Get-MaxInFlight StartExecution | Should -Be 1
    }

    It 'binds StateMachineArn, Input and ExecutionName by property name, as from Import-Csv' {
        $tag = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $csv = @"
StateMachineArn,Input,ExecutionName
$(Get-StateMachineArn Hello),"{""row"":1}",csv1$tag
$(Get-StateMachineArn Hello),"{""row"":2}",csv2$tag
"@ | ConvertFrom-Csv
        $out = @($csv | Start-UeStepFunction -ThrottleLimit 2 -Wait -PollingInterval 0.2 @script:Conn | Sort-Object { $_.result.Name })
        $out.result.Name | Should -Be @("csv1$tag-1", "csv2$tag-1")
        $out.result.Input | Should -Be @('{"row":1}', '{"row":2}')
        $out.result.Status | Should -Be @('SUCCEEDED', 'SUCCEEDED')
    }

    It 'writes the failure of one input and still starts and reports the others' {
        $inputs = @((Get-StateMachineArn Hello), (Get-StateMachineArn Hello), 'arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine',
            (Get-StateMachineArn Hello), (Get-StateMachineArn Hello))
        $out = @($inputs | Start-UeStepFunction -ThrottleLimit 3 @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 4
        @($out.exit_code | Sort-Object -Unique) | Should -Be @(0)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'StateMachineDoesNotExist,*'
        $failures[0].TargetObject.exit_code | Should -Be 20
        (Get-EndpointCounters $script:Endpoint).StartExecution | Should -Be 5
    }

    It 'ends the calls still in flight when the pipeline ends early, and -StopOnCancel stops their executions' {
        # Select-Object -First ends the pipeline without EndProcessing: the two waits on Slow must not poll on unseen.
        $inputs = @((Get-StateMachineArn Hello), (Get-StateMachineArn Slow), (Get-StateMachineArn Slow))
        # In a runspace of its own, so that a regression (waiting for the Slow executions to end) fails here instead of hanging.
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Module, $Inputs, $Conn)
                Import-Module $Module
                $Inputs | Start-UeStepFunction -ThrottleLimit 3 -Wait -PollingInterval 0.1 -StopOnCancel @Conn | Select-Object -First 1
            }).AddArgument((Get-ModuleManifestPath)).AddArgument($inputs).AddArgument($script:Conn)
        $running = $ps.BeginInvoke()
        $ended = $running.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30))
        if (-not $ended) { $ps.Stop() }
        $ended | Should -BeTrue -Because 'the pipeline ends once Select-Object -First has its object'
        $first = @($ps.EndInvoke($running))
        $ps.Dispose()
        $first.Count | Should -Be 1
        $first[0].result.Status | Should -Be 'SUCCEEDED'
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Get-EndpointCounters $script:Endpoint).StopExecution -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        (Get-EndpointCounters $script:Endpoint).StopExecution | Should -Be 2
        Start-Sleep -Milliseconds 300
        $polls = (Get-EndpointCounters $script:Endpoint).DescribeExecution
        Start-Sleep -Milliseconds 800
        (Get-EndpointCounters $script:Endpoint).DescribeExecution | Should -Be $polls
    }

    It 'records in $Error, instead of writing them on, the results in flight once a later command stops taking them' {
        # Eight starts in flight (each held 600 ms); the later command stops after the first results. Writing the rest on
        # would run a script block again after its own break; dropping them would leave started executions unreported.
        $cases = @(
            @{ Pipeline = { param($Items, $Conn) $Items | Start-UeStepFunction -ThrottleLimit 8 @Conn | Select-Object -First 3 }; Written = 3 }
            @{ Pipeline = { param($Items, $Conn)
                    $seen = [Collections.Generic.List[object]]::new()
                    foreach ($pass in 1) { $Items | Start-UeStepFunction -ThrottleLimit 8 @Conn | ForEach-Object { $seen.Add($_); if ($seen.Count -ge 2) { break } } }
                    $seen
                }; Written = 2 }
        )
        foreach ($case in $cases) {
            Reset-Endpoint
            Add-Delay StartExecution 8 600
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddArgument((Get-ModuleManifestPath)).AddStatement()
                $written = @($ps.AddScript($case.Pipeline).AddArgument(@(1..8 | ForEach-Object { Get-StateMachineArn Hello })).AddArgument($script:Conn).Invoke())
                $recorded = @($ps.Runspace.SessionStateProxy.GetVariable('Error') | Where-Object { $_.FullyQualifiedErrorId -like 'ResultNotWritten*' })
            } finally { $ps.Dispose() }
            $written.Count | Should -Be $case.Written -Because "$($case.Pipeline)"
            (Get-EndpointCounters $script:Endpoint).StartExecution | Should -Be 8
            $recorded.Count | Should -Be (8 - $case.Written) -Because 'every start the pipeline refused is in $Error'
            $recorded[0].Exception.Message | Should -BeLike 'The pipeline ended before this result could be written*Execution: arn:aws:states:*'
            $recorded[0].CategoryInfo.Category | Should -Be 'OperationStopped'
            @(@($written.result.ExecutionArn) + @($recorded.TargetObject.result.ExecutionArn) | Sort-Object -Unique).Count | Should -Be 8
        }
    }

    It 'records waits cut short by a later command''s end as ResultNotWritten too, each with its own status, and leaves them running' {
        # One execution ends at once and is taken by Select-Object -First 1; the two still waiting end as if cancelled. Their
        # own record would be WaitCancelled: the id that finds every result nobody was shown must be the same for all.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-ModuleManifestPath)).AddStatement()
            $items = @((Get-StateMachineArn Hello), (Get-StateMachineArn Slow), (Get-StateMachineArn Slow))
            $written = @($ps.AddScript({ param($Items, $Conn) $Items | Start-UeStepFunction -ThrottleLimit 3 -Wait -PollingInterval 0.2 @Conn | Select-Object -First 1 }).
                AddArgument($items).AddArgument($script:Conn).Invoke())
            $errors = @($ps.Runspace.SessionStateProxy.GetVariable('Error'))
        } finally { $ps.Dispose() }
        $written.Count | Should -Be 1
        $written[0].result.Status | Should -Be 'SUCCEEDED'
        $errors.Count | Should -Be 2
        $errors.FullyQualifiedErrorId | Should -Be @('ResultNotWritten', 'ResultNotWritten')
        foreach ($record in $errors) {
            $record.TargetObject.result.Status | Should -Be 'RUNNING'
            $record.TargetObject.exit_code | Should -Be 1
            $record.Exception.ExitCode | Should -Be 1
            $record.Exception.Message | Should -BeLike "The pipeline ended before this result could be written*: $($record.TargetObject.status_description) Execution: $($record.TargetObject.result.ExecutionArn)."
            (Get-UeStepFunctionResult $record.TargetObject @script:Conn).result.Status | Should -Be 'RUNNING' -Because 'a wait cut short leaves its execution running without -StopOnCancel'
            $null = Stop-UeStepFunction $record.TargetObject @script:Conn -Confirm:$false
        }
    }

    It 'reports in $Error every execution still in flight when an upstream command fails (<Label>)' -ForEach @(
        @{ Label = 'left running'; StopOnCancel = $false; Status = 'RUNNING' }
        @{ Label = '-StopOnCancel'; StopOnCancel = $true; Status = 'ABORTED' }
    ) {
        # PowerShell then disposes the cmdlet without EndProcessing or StopProcessing: its waits in flight end as cancelled,
        # and nothing can be written any more.
        $tag = "upstream-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-ModuleManifestPath)).AddStatement()
            $written = @($ps.AddScript({
                        param($Machine, $Tag, $Conn, $StopOnCancel)
                        $rows = 1..8 | ForEach-Object { [pscustomobject]@{ StateMachineArn = $Machine; ExecutionName = "$Tag-$_" } }
                        try {
                            $rows | ForEach-Object { if ($_.ExecutionName -eq "$Tag-7") { Start-Sleep -Milliseconds 500; throw 'upstream failed' }; $_ } |
                                Start-UeStepFunction -ThrottleLimit 8 -Wait -PollingInterval 0.2 -StopOnCancel:$StopOnCancel @Conn
                        } catch { }
                    }).AddArgument((Get-StateMachineArn Slow)).AddArgument($tag).AddArgument($script:Conn).AddArgument($StopOnCancel).Invoke())
            $recorded = @($ps.Runspace.SessionStateProxy.GetVariable('Error') | Where-Object { $_.Exception -is [AwsStepFunctions.UeStepFunctionException] })
        } finally { $ps.Dispose() }
        $stored = @(Get-StoredExecution (Get-StateMachineArn Slow) | Where-Object name -like "$tag-*")
        $stored.Count | Should -Be 6 -Because 'six rows reached the cmdlet before the upstream error'
        $written.Count | Should -Be 0
        @($recorded.TargetObject.result.ExecutionArn | Sort-Object) | Should -Be @($stored.executionArn | Sort-Object) -Because 'every execution in flight is in $Error'
        $recorded.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'WaitCancelled'
        foreach ($execution in $stored) {
            (Get-UeStepFunctionResult $execution.executionArn @script:Conn).result.Status | Should -Be $Status
            if (-not $StopOnCancel) { $null = Stop-UeStepFunction $execution.executionArn @script:Conn -Confirm:$false }
        }
    }

    It 'with -ErrorAction Stop still writes the starts already in flight before the error ends the pipeline' {
        # The two good starts are held 800 ms by the endpoint; the bad ARN fails its validation at once, before any request.
        Add-Delay StartExecution 2 800
        $written = [Collections.Generic.List[object]]::new()
        $caught = $null
        try {
            @((Get-StateMachineArn Hello), (Get-StateMachineArn Hello), 'not-an-arn') |
                Start-UeStepFunction -ThrottleLimit 3 -ErrorAction Stop @script:Conn | ForEach-Object { $written.Add($_) }
        } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.TargetObject.exit_code | Should -Be 20
        $written.Count | Should -Be 2
        @($written.result.Status | Sort-Object -Unique) | Should -Be @('RUNNING')
        (Get-EndpointCounters $script:Endpoint).StartExecution | Should -Be 2
    }

    It 'with -ErrorAction Stop starts nothing after a bad input record, while fewer calls than the limit are in flight' {
        # The bad record fails before any request; its error must end the pipeline before the records after it start.
        $caught = $null
        try {
            @((Get-StateMachineArn Hello), 'not-an-arn') + @((Get-StateMachineArn Hello)) * 20 |
                Start-UeStepFunction -ThrottleLimit 8 -ErrorAction Stop @script:Conn | Out-Null
        } catch { $caught = $_ }
        $caught.TargetObject.exit_code | Should -Be 20
        (Get-EndpointCounters $script:Endpoint).StartExecution | Should -Be 1
    }

    It 'writes each outcome as soon as the next input arrives, not only once the limit is reached' {
        Add-Delay StartExecution 2 1500
        $times = [Collections.Generic.List[double]]::new()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & { Get-StateMachineArn Hello; Start-Sleep -Milliseconds 3000; Get-StateMachineArn Hello } |
            Start-UeStepFunction -ThrottleLimit 4 @script:Conn | ForEach-Object { $times.Add($clock.Elapsed.TotalSeconds) }
        $times.Count | Should -Be 2
        # Each start is held 1.5 s. The first has ended when the second record arrives (3 s): it is written then, not
        # together with the second at the end (4.5 s). The margins (1.2 s and more) survive a host that stalls a second.
        $times[0] | Should -BeGreaterThan 2.9
        $times[0] | Should -BeLessThan 4.2
        $times[1] - $times[0] | Should -BeGreaterThan 1.0
    }

    It 'waits for several executions at once, each with its own progress bar' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Machine)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'
                    1..3 | ForEach-Object { $Machine } | Start-UeStepFunction -ThrottleLimit 3 -Wait -PollingInterval 0.05 @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument((Get-StateMachineArn Short))
            $out = @($ps.Invoke())
            $ps.Streams.Error.Count | Should -Be 0
            $out.Count | Should -Be 3
            @($out.result.Status | Sort-Object -Unique) | Should -Be @('SUCCEEDED')
            $activities = @($ps.Streams.Progress | Where-Object RecordType -eq 'Processing' | ForEach-Object ActivityId | Sort-Object -Unique)
            $activities.Count | Should -Be 3
            @($ps.Streams.Progress | Where-Object RecordType -eq 'Completed').Count | Should -Be 3
        } finally {
            $ps.Dispose()
        }
    }

    It 'Ctrl+C ends every wait in flight within a second, and -StopOnCancel aborts each execution' {
        $tag = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $names = 1..3 | ForEach-Object { "cancel$_$tag" }
        $rows = $names | ForEach-Object { [pscustomobject]@{ StateMachineArn = (Get-StateMachineArn Slow); ExecutionName = $_ } }
        $arns = $names | ForEach-Object { "arn:aws:states:us-east-1:123456789012:execution:Slow:$_-1" }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Rows)
                    Import-Module $Manifest
                    $Rows | Start-UeStepFunction -ThrottleLimit 3 -Wait -PollingInterval 0.2 -StopOnCancel @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument($rows)
            $null = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 100
                $running = @($arns | Get-UeStepFunctionResult @script:Conn -ErrorAction SilentlyContinue | Where-Object { $_.result.Status -eq 'RUNNING' }).Count
            } until ($running -eq 3 -or [DateTime]::UtcNow -gt $deadline)
            $running | Should -Be 3 -Because 'all three executions should be running before Ctrl+C'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
            @($arns | Get-UeStepFunctionResult -ThrottleLimit 3 @script:Conn | ForEach-Object { $_.result.Status } | Sort-Object -Unique) | Should -Be @('ABORTED')
        } finally {
            $ps.Dispose()
        }
    }

    It 'refuses a limit outside 1..64, naming the parameter' {
        { 'x' | Start-UeStepFunction -ThrottleLimit 0 @script:Conn } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AwsStepFunctions.StartUeStepFunctionCommand'
        $err = { Get-UeStepFunctionResult 'x' -ThrottleLimit 65 @script:Conn } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike "*'ThrottleLimit'*"
    }
}

Describe 'Wait-, Get-UeStepFunctionResult and Stop-UeStepFunction -ThrottleLimit' {
    BeforeEach { Reset-Endpoint }

    It 'waits for piped executions together and reports each final state' {
        $started = @(1..4 | ForEach-Object { Get-StateMachineArn Short } | Start-UeStepFunction -ThrottleLimit 4 @script:Conn)
        $failing = Start-UeStepFunction (Get-StateMachineArn Fails) @script:Conn
        $waited = @(@($started) + $failing | Wait-UeStepFunction -ThrottleLimit 5 -PollingInterval 0.05 @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue)
        $waited.Count | Should -Be 5
        @($waited | Where-Object { $_.result.Status -eq 'SUCCEEDED' }).Count | Should -Be 4
        ($waited | Where-Object { $_.result.Status -eq 'FAILED' }).exit_code | Should -Be 23
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ExecutionFailed,*'
    }

    It 'describes and stops piped executions concurrently, each exactly once' {
        $started = @(1..6 | ForEach-Object { Get-StateMachineArn Slow } | Start-UeStepFunction -ThrottleLimit 6 @script:Conn)
        Reset-Endpoint
        Add-Delay DescribeExecution 6 1000
        $got = @($started | Get-UeStepFunctionResult -ThrottleLimit 3 @script:Conn)
        $got.Count | Should -Be 6
        @($got.result.ExecutionArn | Sort-Object -Unique).Count | Should -Be 6
        Get-MaxInFlight DescribeExecution | Should -Be 3
        Add-Delay StopExecution 6 1000
        $stopped = @($started | Stop-UeStepFunction -ThrottleLimit 6 -Confirm:$false @script:Conn)
        $stopped.Count | Should -Be 6
        @($stopped.result.Status | Sort-Object -Unique) | Should -Be @('ABORTED')
        (Get-EndpointCounters $script:Endpoint).StopExecution | Should -Be 6
        Get-MaxInFlight StopExecution | Should -Be 6
    }
}
