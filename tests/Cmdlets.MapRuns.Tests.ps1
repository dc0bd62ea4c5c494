# Get-UeStepFunctionMapRun and Get-UeStepFunctionExecution -MapRunArn against the local endpoint over real HTTP with real
# SigV4: each Map Run against the AWS CLI's describe-map-run of the same run (another client, another signer), the
# children against its list-executions --map-run-arn, paging, the pipeline in and out, a run still running, refusals
# before any request, and the table view.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cmdlets-mapruns-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    <# How many requests of each operation reached the endpoint while the script block ran. #>
    function Measure-Requests([scriptblock]$Script, [string[]]$Operation) {
        $before = Get-EndpointCounters $script:Endpoint
        $null = & $Script
        $after = Get-EndpointCounters $script:Endpoint
        $counts = [ordered]@{}
        foreach ($name in $Operation) { $counts[$name] = [int]$after.$name - [int]$before.$name }
        [pscustomobject]$counts
    }
    <# A Distributed Map state's definition: items from $.items, children of the given type running $Processor. #>
    function New-DistributedMap([string]$Label, [string]$ChildType, [hashtable]$Processor, [hashtable]$Extra = @{}) {
        $map = @{
            Type = 'Map'; Label = $Label; ItemsPath = '$.items'
            ItemProcessor = @{ ProcessorConfig = @{ Mode = 'DISTRIBUTED'; ExecutionType = $ChildType } } + $Processor
        }
        $map + $Extra
    }

    # Two Distributed Maps in one execution. Checker: item 3 fails, one failure tolerated, so the run and the parent
    # succeed with a FAILED child. Pairs: EXPRESS children, two items per child (4 items, 2 executions).
    $checker = New-DistributedMap 'Checker' 'STANDARD' @{
        StartAt = 'Decide'
        States  = @{
            Decide = @{ Type = 'Choice'; Choices = @(@{ Variable = '$'; NumericEquals = 3; Next = 'Bad' }); Default = 'Good' }
            Good   = @{ Type = 'Pass'; End = $true }
            Bad    = @{ Type = 'Fail'; Error = 'Item.Bad'; Cause = 'item 3 is bad' }
        }
    } @{ MaxConcurrency = 2; ToleratedFailureCount = 1; ResultPath = $null; Next = 'Pairs' }
    $pairs = New-DistributedMap 'Pairs' 'EXPRESS' @{ StartAt = 'Same'; States = @{ Same = @{ Type = 'Pass'; End = $true } } } @{
        ItemBatcher = @{ MaxItemsPerBatch = 2 }; End = $true }
    $script:TwoMaps = New-EndpointStateMachine $script:Endpoint -Name 'MapRunsTwo' -Definition @{
        StartAt = 'Checker'; States = @{ Checker = $checker; Pairs = $pairs } }
    $script:Parent = Start-UeStepFunction $script:TwoMaps -Input '{"items":[1,2,3,4]}' -ExecutionName 'two-maps' -Wait -PollingInterval 0.05 @script:Conn
    $script:ParentArn = $script:Parent.result.ExecutionArn
    $script:CliRuns = @((Invoke-AwsCli $script:Endpoint @('stepfunctions', 'list-map-runs', '--execution-arn', $script:ParentArn)).mapRuns)

    # A run that is still going: one child at a time, each waiting a day.
    $held = New-DistributedMap 'Slow' 'STANDARD' @{ StartAt = 'Sleep'; States = @{ Sleep = @{ Type = 'Wait'; Seconds = 86400; End = $true } } } @{
        MaxConcurrency = 1; End = $true }
    $script:Held = New-EndpointStateMachine $script:Endpoint -Name 'MapRunsHeld' -Definition @{ StartAt = 'Slow'; States = @{ Slow = $held } }
    $script:HeldParent = Start-UeStepFunction $script:Held -Input '{"items":["a","b","c"]}' -ExecutionName 'held' @script:Conn
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Get-UeStepFunctionMapRun' {
    It 'ran what the tests below read (precondition)' {
        $script:Parent.result.Status | Should -Be 'SUCCEEDED'
        $script:CliRuns.Count | Should -Be 2
    }

    It 'writes each Map Run of the execution as the AWS CLI describes it, in the order it lists them' {
        $runs = @(Get-UeStepFunctionMapRun $script:ParentArn @script:Conn)
        $runs.MapRunArn | Should -Be $script:CliRuns.mapRunArn
        $runs[0] | Should -BeOfType ([type]'AwsStepFunctions.Core.MapRun')
        foreach ($run in $runs) {
            $cli = Invoke-AwsCli $script:Endpoint @('stepfunctions', 'describe-map-run', '--map-run-arn', $run.MapRunArn)
            # Debian's AWS CLI predates the redrive members (redriveCount, failuresNotRedrivable, pendingRedrive) and drops
            # them: those are checked against the service's answer to a request signed by hand.
            $raw = Invoke-SignedStepFunctions $script:Endpoint -Operation DescribeMapRun -Body @{ mapRunArn = $run.MapRunArn }
            $raw.PSObject.Properties.Name | Should -Contain 'redriveCount'
            $run.ExecutionArn | Should -Be $cli.executionArn
            $run.Status | Should -Be $cli.status
            $run.StartDate.ToUnixTimeMilliseconds() | Should -Be ([DateTimeOffset]$cli.startDate).ToUnixTimeMilliseconds()
            $run.StopDate.ToUnixTimeMilliseconds() | Should -Be ([DateTimeOffset]$cli.stopDate).ToUnixTimeMilliseconds()
            $run.MaxConcurrency | Should -Be $cli.maxConcurrency
            $run.ToleratedFailureCount | Should -Be $cli.toleratedFailureCount
            $run.ToleratedFailurePercentage | Should -Be $cli.toleratedFailurePercentage
            $run.RedriveCount | Should -Be $raw.redriveCount
            foreach ($counts in 'itemCounts', 'executionCounts') {
                foreach ($name in 'pending', 'running', 'succeeded', 'failed', 'timedOut', 'aborted', 'total', 'resultsWritten') {
                    $run.$counts.$name | Should -Be $cli.$counts.$name -Because "$($run.Label) $counts.$name"
                }
                foreach ($name in 'failuresNotRedrivable', 'pendingRedrive') {
                    $run.$counts.$name | Should -Be $raw.$counts.$name -Because "$($run.Label) $counts.$name"
                }
            }
        }
        $runs.Label | Should -Be @('Checker', 'Pairs')
        $runs.ExecutionArn | Should -Be @($script:ParentArn, $script:ParentArn)
        $runs.Status | Should -Be @('SUCCEEDED', 'SUCCEEDED')
        $runs[0].ItemCounts.Failed | Should -Be 1
        $runs[0].ToleratedFailureCount | Should -Be 1
        $runs[0].MaxConcurrency | Should -Be 2
        "$($runs[0].ItemCounts)" | Should -Be '3/4 succeeded, 1 failed'
        # Two items per child: 4 items, 2 executions.
        $runs[1].ItemCounts.Total | Should -Be 4
        $runs[1].ExecutionCounts.Total | Should -Be 2
        "$($runs[0])" | Should -Be $runs[0].MapRunArn
    }

    It '-First asks for no more runs than it needs, and describes only those; -Skip and -IncludeTotalCount count runs' {
        $first = $null
        $requests = Measure-Requests { $script:first = @(Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn) } ListMapRuns, DescribeMapRun
        $requests.ListMapRuns | Should -Be 1
        $requests.DescribeMapRun | Should -Be 1
        $script:first.Label | Should -Be 'Checker'
        $body = '{"executionArn":"' + $script:ParentArn + '","maxResults":1}'
        $trace = @(Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        @($trace.Message | Where-Object { $_ -like 'ListMapRuns * attempt 1: POST *' }) | Should -BeLike "* ($($body.Length) bytes) at *"
        @(Get-UeStepFunctionMapRun $script:ParentArn -Skip 1 @script:Conn).Label | Should -Be 'Pairs'
        $counted = @(Get-UeStepFunctionMapRun $script:ParentArn -First 1 -IncludeTotalCount @script:Conn)
        $counted[0].Label | Should -Be 'Checker'
        $counted[1].ToString() | Should -Be 'Total count: 2'
    }

    It 'reads a Map Run piped back by its own ARN (DescribeMapRun only), and takes the other cmdlets'' output as the parent' {
        $runs = @(Get-UeStepFunctionMapRun $script:ParentArn @script:Conn)
        $again = $null
        $requests = Measure-Requests { $script:again = @($runs | Get-UeStepFunctionMapRun @script:Conn) } ListMapRuns, DescribeMapRun
        $requests.ListMapRuns | Should -Be 0
        $requests.DescribeMapRun | Should -Be 2
        $script:again.MapRunArn | Should -Be $runs.MapRunArn
        (Get-UeStepFunctionMapRun -MapRunArn $runs[1].MapRunArn @script:Conn).Label | Should -Be 'Pairs'
        # Start's output, and a listing's executions, are parents.
        @($script:Parent | Get-UeStepFunctionMapRun @script:Conn).Label | Should -Be @('Checker', 'Pairs')
        @(Get-UeStepFunctionExecution $script:TwoMaps @script:Conn | Get-UeStepFunctionMapRun @script:Conn).Count | Should -Be 2
        # A run's ExecutionArn is its parent's: it pipes on into the cmdlets that read executions.
        ($runs[0] | Get-UeStepFunctionResult @script:Conn).result.ExecutionArn | Should -Be $script:ParentArn
    }

    It 'writes nothing, and no error, for an execution without a Distributed Map' {
        $plain = Start-UeStepFunction (Get-StateMachineArn Hello) -Wait -PollingInterval 0.05 @script:Conn
        $caught = $null
        $out = @(Get-UeStepFunctionMapRun $plain @script:Conn -ErrorVariable caught)
        $out.Count | Should -Be 0
        $caught.Count | Should -Be 0
    }

    It 'follows a run that is still going: running and pending items, and the children running now' {
        $run = $null
        for ($i = 0; $i -lt 100 -and -not ($run -and $run.ItemCounts.Running -eq 1); $i++) {
            Start-Sleep -Milliseconds 50
            $run = Get-UeStepFunctionMapRun $script:HeldParent @script:Conn
        }
        $run.Status | Should -Be 'RUNNING'
        $run.StopDate | Should -BeNullOrEmpty
        $run.ItemCounts.Running | Should -Be 1
        $run.ItemCounts.Pending | Should -Be 2
        "$($run.ItemCounts)" | Should -Be '0/3 succeeded, 1 running, 2 pending'
        $running = @($run | Get-UeStepFunctionExecution -Status RUNNING @script:Conn)
        $running.Count | Should -Be 1
        $running[0].StateMachineArn | Should -Be "$($script:Held)/Slow"
    }

    It 'offers the Map Runs it read to -MapRunArn''s tab completion, by label, the most recent first' {
        $runs = @(Get-UeStepFunctionMapRun $script:ParentArn @script:Conn)
        foreach ($line in 'Get-UeStepFunctionMapRun -MapRunArn ', 'Get-UeStepFunctionExecution -MapRunArn ') {
            $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
            $offered[0].CompletionText | Should -Be $runs[-1].MapRunArn
            $offered[0].ListItemText | Should -Be 'Pairs (SUCCEEDED)'
            $offered.CompletionText | Should -Contain $runs[0].MapRunArn
        }
        # Typing the label's start narrows the list to that run.
        $line = 'Get-UeStepFunctionMapRun -MapRunArn Check'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be $runs[0].MapRunArn
    }

    It 'shows one run per row in an 80-column table: label, status, start, and the items in one cell' {
        $lines = @((Get-UeStepFunctionMapRun $script:ParentArn @script:Conn | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Label\s+Status\s+StartDate\s+Items$'
        $lines.Count | Should -Be 4
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines[2] | Should -Match '^Checker\s+SUCCEEDED \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 3/4 succeeded, 1 failed$'
        $lines[3] | Should -Match '^Pairs\s+SUCCEEDED .* 4/4 succeeded$'
    }
}

Describe 'Get-UeStepFunctionExecution -MapRunArn' {
    It 'lists a run''s children as the AWS CLI does, with their Map Run and item count' {
        $runs = @(Get-UeStepFunctionMapRun $script:ParentArn @script:Conn)
        foreach ($run in $runs) {
            $children = @(Get-UeStepFunctionExecution -MapRunArn $run.MapRunArn @script:Conn)
            $cli = @((Invoke-AwsCli $script:Endpoint @('stepfunctions', 'list-executions', '--map-run-arn', $run.MapRunArn)).executions)
            $children.ExecutionArn | Should -Be $cli.executionArn
            $children.Status | Should -Be $cli.status
            $children.ItemCount | Should -Be $cli.itemCount
            $children | ForEach-Object { $_.MapRunArn | Should -Be $run.MapRunArn }
        }
        @(Get-UeStepFunctionExecution -MapRunArn $runs[1].MapRunArn @script:Conn).ItemCount | Should -Be @(2, 2)
        # A machine's own executions are not a Map Run's: those members stay empty.
        $parent = Get-UeStepFunctionExecution $script:TwoMaps -First 1 @script:Conn
        $parent.MapRunArn | Should -BeNullOrEmpty
        $parent.ItemCount | Should -BeNullOrEmpty
    }

    It 'takes Map Runs from the pipeline; -Status filters the children, which pipe on into Get-UeStepFunctionResult' {
        $failed = @(Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn | Get-UeStepFunctionExecution -Status FAILED @script:Conn)
        $failed.Count | Should -Be 1
        $failed[0].ExecutionArn | Should -BeLike '*:execution:MapRunsTwo/Checker:*'
        $result = $failed | Get-UeStepFunctionResult @script:Conn -ErrorAction SilentlyContinue
        $result.result.Error | Should -Be 'Item.Bad'
        $result.result.Cause | Should -Be 'item 3 is bad'
        $result.result.Input | Should -Be '3'
        @(Get-UeStepFunctionMapRun $script:ParentArn @script:Conn | Get-UeStepFunctionExecution @script:Conn).Count | Should -Be 6
    }
}

Describe 'Set-UeStepFunctionMapRun' {
    BeforeAll {
        <# A fresh run of the held machine (one child at a time, each waiting a day), once its first child runs. #>
        function Start-HeldRun([string]$Name) {
            $parent = Start-UeStepFunction $script:Held -Input '{"items":["a","b","c"]}' -ExecutionName $Name @script:Conn
            $run = $null
            for ($i = 0; $i -lt 100 -and -not ($run -and $run.ItemCounts.Running -eq 1); $i++) {
                Start-Sleep -Milliseconds 50
                $run = Get-UeStepFunctionMapRun $parent @script:Conn
            }
            $run
        }
    }

    It 'raises a running run''s MaxConcurrency, so its waiting children start, and -PassThru writes the run as it is now' {
        $run = Start-HeldRun 'raise'
        $run.MaxConcurrency | Should -Be 1
        $updated = @($run | Set-UeStepFunctionMapRun -MaxConcurrency 3 -ToleratedFailureCount 2 -PassThru @script:Conn)
        $updated.Count | Should -Be 1
        $updated[0].MapRunArn | Should -Be $run.MapRunArn
        $updated[0].MaxConcurrency | Should -Be 3
        $updated[0].ToleratedFailureCount | Should -Be 2
        # Another client reads the same settings.
        $cli = Invoke-AwsCli $script:Endpoint @('stepfunctions', 'describe-map-run', '--map-run-arn', $run.MapRunArn)
        $cli.maxConcurrency | Should -Be 3
        $cli.toleratedFailureCount | Should -Be 2
        $now = $null
        for ($i = 0; $i -lt 100 -and -not ($now -and $now.ItemCounts.Running -eq 3); $i++) {
            Start-Sleep -Milliseconds 50
            $now = Get-UeStepFunctionMapRun -MapRunArn $run.MapRunArn @script:Conn
        }
        "$($now.ItemCounts)" | Should -Be '0/3 succeeded, 3 running'
    }

    It 'sends only the settings given, writes nothing without -PassThru, and takes ARN strings' {
        $run = Start-HeldRun 'partial'
        $body = '{"mapRunArn":"' + $run.MapRunArn + '","toleratedFailurePercentage":12.5}'
        $out = @(Set-UeStepFunctionMapRun $run.MapRunArn -ToleratedFailurePercentage 12.5 @script:Conn -Debug 5>&1)
        @($out | Where-Object { $_ -isnot [System.Management.Automation.DebugRecord] }).Count | Should -Be 0
        @($out.Message | Where-Object { $_ -like 'UpdateMapRun * attempt 1: POST *' }) | Should -BeLike "* ($($body.Length) bytes) at *"
        $after = Get-UeStepFunctionMapRun -MapRunArn $run.MapRunArn @script:Conn
        $after.ToleratedFailurePercentage | Should -Be 12.5
        $after.MaxConcurrency | Should -Be 1
        $after.ToleratedFailureCount | Should -Be $run.ToleratedFailureCount
    }

    It 'changes a run once however often it is given: its children piped in all name it' {
        $run = Start-HeldRun 'children'
        $children = @($run | Get-UeStepFunctionExecution @script:Conn)
        $children.Count | Should -Be 1
        $requests = Measure-Requests { $children + $children + @($run) | Set-UeStepFunctionMapRun -MaxConcurrency 2 @script:Conn } UpdateMapRun
        $requests.UpdateMapRun | Should -Be 1
        (Get-UeStepFunctionMapRun -MapRunArn $run.MapRunArn @script:Conn).MaxConcurrency | Should -Be 2
    }

    It 'refuses an execution piped in that no Distributed Map started (it has no MapRunArn), saying why (exit 20), and changes the next run' {
        $run = Start-HeldRun 'after-plain'
        $plain = @(Get-UeStepFunctionExecution $script:Held -First 1 @script:Conn)
        $plain[0].MapRunArn | Should -BeNullOrEmpty -Because 'a parent execution is no Map Run''s child'
        $caught = $null
        $before = Get-EndpointCounters $script:Endpoint
        $plain + @($run) | Set-UeStepFunctionMapRun -MaxConcurrency 2 @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        [int](Get-EndpointCounters $script:Endpoint).UpdateMapRun - [int]$before.UpdateMapRun | Should -Be 1
        (Get-UeStepFunctionMapRun -MapRunArn $run.MapRunArn @script:Conn).MaxConcurrency | Should -Be 2
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'InvalidMapRunArn'
        $caught[0].Exception.Message | Should -Be '-MapRunArn is required: an execution that no Distributed Map started has none (Get-UeStepFunctionMapRun lists an execution''s Map Runs).'
        # Given by hand, an empty ARN gets the same refusal rather than a binding error.
        $caught = $null
        Set-UeStepFunctionMapRun -MapRunArn '' -MaxConcurrency 2 @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught.Count | Should -Be 1
        $caught[0].Exception.ErrorId | Should -Be 'InvalidMapRunArn'
        $caught[0].Exception.ExitCode | Should -Be 20
    }

    It '-WhatIf changes nothing and sends no UpdateMapRun' {
        $run = Start-HeldRun 'whatif'
        $requests = Measure-Requests { $run | Set-UeStepFunctionMapRun -MaxConcurrency 5 -WhatIf @script:Conn } UpdateMapRun
        $requests.UpdateMapRun | Should -Be 0
        (Get-UeStepFunctionMapRun -MapRunArn $run.MapRunArn @script:Conn).MaxConcurrency | Should -Be 1
    }

    It 'refuses no setting, or one out of bounds, before any request and before -WhatIf, naming the parameter (exit 20)' -ForEach @(
        @{ Settings = @{}; ErrorId = 'NoMapRunSetting'; Message = 'Give at least one of -MaxConcurrency, -ToleratedFailurePercentage or -ToleratedFailureCount*' }
        @{ Settings = @{ MaxConcurrency = -1 }; ErrorId = 'InvalidMaxConcurrency'; Message = '-MaxConcurrency must be 0 or more (got -1)*' }
        @{ Settings = @{ ToleratedFailurePercentage = 100.5 }; ErrorId = 'InvalidToleratedFailurePercentage'; Message = '-ToleratedFailurePercentage must be from 0 to 100 (got 100.5).' }
        @{ Settings = @{ ToleratedFailureCount = -3 }; ErrorId = 'InvalidToleratedFailureCount'; Message = '-ToleratedFailureCount must be 0 or more (got -3).' }
    ) {
        $arn = (Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn).MapRunArn
        $requests = Get-EndpointRequestCount $script:Endpoint
        foreach ($whatIf in $false, $true) {
            $caught = $null
            Set-UeStepFunctionMapRun $arn @Settings -WhatIf:$whatIf @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
            $caught.Count | Should -Be 1
            $caught[0].Exception.ExitCode | Should -Be 20
            $caught[0].Exception.ErrorId | Should -Be $ErrorId
            $caught[0].Exception.Message | Should -BeLike $Message
            $caught[0].TargetObject.invocation.fields.action | Should -Be 'Update Map Run'
            $caught[0].TargetObject.invocation.fields.map_run_arn | Should -Be $arn
        }
        Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
    }

    It 'is refused by the service for a run that has ended (exit 20, CANNOT_UPDATE_COMPLETED_MAP_RUN), and goes on with the next' {
        $ended = (Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn).MapRunArn
        $running = (Start-HeldRun 'after-ended').MapRunArn
        $caught = $null
        $out = @($ended, $running | Set-UeStepFunctionMapRun -MaxConcurrency 2 -PassThru @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $out.MapRunArn | Should -Be $running
        $out.MaxConcurrency | Should -Be 2
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'ValidationException'
        $caught[0].Exception.Message | Should -BeLike "*Map Run '$ended' has already ended (SUCCEEDED)*(reason: CANNOT_UPDATE_COMPLETED_MAP_RUN)*"
        $caught[0].Exception.Target | Should -Be $ended
        (Get-UeStepFunctionMapRun -MapRunArn $ended @script:Conn).MaxConcurrency | Should -Be 2 -Because 'Checker''s own setting, unchanged'
    }
}

Describe 'Map Run refusals' {
    It 'refuses an ARN that is no Map Run''s before any request, naming -MapRunArn (exit 20), and reads the next one piped in' {
        $good = (Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn).MapRunArn
        $requests = Get-EndpointRequestCount $script:Endpoint
        $caught = $null
        $out = @([pscustomobject]@{ MapRunArn = 'nope' }, [pscustomobject]@{ MapRunArn = $good } | Get-UeStepFunctionMapRun @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $out.MapRunArn | Should -Be $good
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'InvalidMapRunArn'
        $caught[0].Exception.Field | Should -Be 'map_run_arn'
        $caught[0].Exception.Message | Should -BeLike "-MapRunArn 'nope' must look like arn:<partition>:states:<region>:<12-digit account>:mapRun:*"
        $caught[0].TargetObject.invocation.fields.action | Should -Be 'Get Map Runs'
        $caught[0].TargetObject.invocation.fields.map_run_arn | Should -Be 'nope'
        # One request: the good run's DescribeMapRun.
        Get-EndpointRequestCount $script:Endpoint | Should -Be ($requests + 1)
        $caught = $null
        Get-UeStepFunctionExecution -MapRunArn $script:ParentArn @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.Message | Should -BeLike "-MapRunArn '$($script:ParentArn)' is an execution ARN; a Map Run ARN is expected*"
        $caught[0].TargetObject.invocation.fields.map_run_arn | Should -Be $script:ParentArn
        Get-EndpointRequestCount $script:Endpoint | Should -Be ($requests + 1)
    }

    It 'refuses a state machine ARN as the parent, and a Map Run of another -Region, before any request' {
        $good = (Get-UeStepFunctionMapRun $script:ParentArn -First 1 @script:Conn).MapRunArn
        $requests = Get-EndpointRequestCount $script:Endpoint
        $caught = $null
        Get-UeStepFunctionMapRun $script:TwoMaps @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.Message | Should -BeLike "-ExecutionArn '$($script:TwoMaps)' is a state machine ARN*"
        $other = @{} + $script:Conn
        $other.Region = 'eu-west-1'
        $caught = $null
        Get-UeStepFunctionMapRun -MapRunArn $good @other -ErrorVariable caught -ErrorAction SilentlyContinue
        $listing = $null
        Get-UeStepFunctionExecution -MapRunArn $good @other -ErrorVariable listing -ErrorAction SilentlyContinue
        foreach ($record in $caught[0], $listing[0]) {
            $record.Exception.ExitCode | Should -Be 20
            $record.Exception.ErrorId | Should -Be 'RegionMismatch'
            $record.Exception.Message | Should -BeLike '-MapRunArn*us-east-1*eu-west-1*'
        }
        Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
    }

    It 'reports a parent or a Map Run that does not exist as not found (exit 20), catchable by type, and goes on with the next' {
        $missing = 'arn:aws:states:us-east-1:123456789012:execution:MapRunsTwo:no-such-run'
        $caught = $null
        $out = @($missing, $script:ParentArn | Get-UeStepFunctionMapRun -First 1 @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $out.Label | Should -Be 'Checker'
        $caught.Count | Should -Be 1
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'ExecutionDoesNotExist'
        $caught[0].Exception.Target | Should -Be $missing
        $gone = 'arn:aws:states:us-east-1:123456789012:mapRun:MapRunsTwo/Checker:00000000-0000-4000-8000-000000000000'
        foreach ($call in { Get-UeStepFunctionMapRun -MapRunArn $gone @script:Conn -ErrorAction Stop }, { Get-UeStepFunctionExecution -MapRunArn $gone @script:Conn -ErrorAction Stop }) {
            $caught = try { & $call } catch [AwsStepFunctions.UeStepFunctionException] { $_ }
            $caught.Exception.ExitCode | Should -Be 20
            $caught.Exception.ErrorId | Should -Be 'ResourceNotFound'
            $caught.Exception.Target | Should -Be $gone
        }
    }
}
