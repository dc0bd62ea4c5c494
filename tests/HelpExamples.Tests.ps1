# Every example in the cmdlets' help (Get-Help -Examples, from the BUILT module's help file) and in the README, run as written in a fresh
# pwsh against its own local endpoint over real HTTP and SigV4, and held to what its description says. An example that
# a renamed parameter, a changed default or a changed output breaks fails here. The child differs from an admin's
# prompt only where a test must: AWS_ENDPOINT_URL points at the local endpoint, Get-Credential answers without asking,
# and names that cannot be real here (the proxy host, the CA bundle's path) are replaced, each one checked to occur.
BeforeDiscovery {
    $scenes = & (Join-Path $PSScriptRoot 'fixtures/HelpExampleScenes.ps1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $module = Import-Module (Get-ModuleManifestPath) -Force -PassThru
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "help-examples-$([guid]::NewGuid().ToString('n'))"
    # Every cmdlet the module exports: a new one cannot ship examples that never ran.
    $script:Cmdlets = @($module.ExportedCmdlets.Keys | Sort-Object)
    $script:Runner = Join-Path $PSScriptRoot 'fixtures/Invoke-HelpExample.ps1'
    $script:Stoppable = [Collections.Generic.List[object]]::new()

    <# Every example of the cmdlets, keyed "<cmdlet> <number>", with its code as Get-Help shows it; and the README's, "README <number>". #>
    $script:Examples = [ordered]@{}
    foreach ($cmdlet in $script:Cmdlets) {
        $number = 0
        foreach ($example in (Get-Help $cmdlet -Examples).examples.example) {
            $number++
            $script:Examples["$cmdlet $number"] = [string]$example.code
        }
    }
    $readme = [IO.File]::ReadAllText((Join-Path (Get-RepoRoot) 'README.md'))
    $number = 0
    foreach ($block in [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```')) {
        $number++
        $script:Examples["README $number"] = $block.Groups[1].Value
    }

    <# A Distributed Map (label Orders) over four orders, each run by a STANDARD child execution that waits $OrderSeconds of
       endpoint time (divided by the --time-scale of 100 below); order 4 fails (Order.Invalid), and one failure is tolerated,
       so the Map Run and its parent succeed with 3/4 items succeeded, 1 failed. #>
    function New-FanOutKind {
        param([int]$OrderSeconds)
        @{ StartAt = 'Plan'; States = @{
                Plan   = @{ Type = 'Pass'; Result = @(1..4 | ForEach-Object { @{ order = $_ } }); ResultPath = '$.orders'; Next = 'Orders' }
                Orders = @{ Type = 'Map'; Label = 'Orders'; ItemsPath = '$.orders'; ToleratedFailureCount = 1; End = $true
                    ItemProcessor = @{ ProcessorConfig = @{ Mode = 'DISTRIBUTED'; ExecutionType = 'STANDARD' }; StartAt = 'Check'; States = @{
                            Check  = @{ Type = 'Choice'; Choices = @(@{ Variable = '$.order'; NumericEquals = 4; Next = 'Reject' }); Default = 'Load' }
                            Reject = @{ Type = 'Fail'; Error = 'Order.Invalid'; Cause = 'order 4 has no price' }
                            Load   = @{ Type = 'Wait'; Seconds = $OrderSeconds; End = $true } } } } } }
    }
    $kinds = @{
        Instant = @{ StartAt = 'Greet'; States = @{ Greet = @{ Type = 'Pass'; Result = @{ greeting = 'hello' }; End = $true } } }
        Short   = @{ StartAt = 'Pause'; States = @{ Pause = @{ Type = 'Wait'; Seconds = 30; Next = 'Done' }; Done = @{ Type = 'Succeed' } } }
        Long    = @{ StartAt = 'Pause'; States = @{ Pause = @{ Type = 'Wait'; Seconds = 86400; End = $true } } }
        Fails   = @{ StartAt = 'Boom'; States = @{ Boom = @{ Type = 'Fail'; Error = 'Nightly.Broken'; Cause = 'the test asked for it' } } }
        # A Choice with no Default fails (States.NoChoiceMatched) until the execution has been redriven once.
        FailsOnce = @{ StartAt = 'Gate'; States = @{
                Gate = @{ Type = 'Choice'; Choices = @(@{ Variable = '$$.Execution.RedriveCount'; NumericGreaterThanEquals = 1; Next = 'Done' }) }
                Done = @{ Type = 'Succeed' } } }
        FanOut     = New-FanOutKind -OrderSeconds 1
        # 20 s an order: the Map Run is still RUNNING while an example follows it.
        SlowFanOut = New-FanOutKind -OrderSeconds 2000
        # A day an order: the Map Run is RUNNING whatever the example does to it, however loaded the machine.
        HeldFanOut = New-FanOutKind -OrderSeconds 86400
    }
    $keys = @{
        None    = @{}
        Default = @{ AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
        Assumer = @{ AWS_ACCESS_KEY_ID = 'AKIAASSUMERONLY00001'; AWS_SECRET_ACCESS_KEY = 'assumerSecretKey/Example0000000000000000' }
    }

    <# Starts the scene's endpoint (its region, its machines, a user who may only assume roles, role StepFunctionsRunner) without waiting for it. #>
    function Start-SceneEndpoint {
        param([hashtable]$Scene)
        $directory = Join-Path $script:Work ($Scene.Key -replace '\W', '-')
        $definitions = Join-Path $directory 'definitions'
        New-Item -ItemType Directory -Force $definitions | Out-Null
        foreach ($machine in $Scene.Machines.Keys) {
            $kinds[$Scene.Machines[$machine]] | ConvertTo-Json -Depth 10 | Set-Content (Join-Path $definitions "$machine.asl.json")
        }
        $access = Join-Path $directory 'access.json'
        @{
            defaultUser = $true
            users       = @(@{ name = 'assumer'; accessKeyId = $keys.Assumer.AWS_ACCESS_KEY_ID; secretAccessKey = $keys.Assumer.AWS_SECRET_ACCESS_KEY; actions = @('sts:AssumeRole') })
            roles       = @(@{ roleArn = 'arn:aws:iam::123456789012:role/StepFunctionsRunner'; actions = @('states:*') })
        } | ConvertTo-Json -Depth 6 | Set-Content $access
        $starting = Start-LocalEndpoint -NoWait -Arguments @('--definitions', $definitions, '--config', $access, '--region', $Scene.Region, '--time-scale', '100')
        $script:Stoppable.Add(($starting | Add-Member -MemberType ScriptMethod -Name Stop -Value { if (-not $this.Process.HasExited) { $this.Process.Kill($true) } } -PassThru))
        [pscustomobject]@{ Directory = $directory; Starting = $starting }
    }

    <# The scene once its endpoint listens: its proxy and CA if it needs them, and what the checks ask of the endpoint. #>
    function New-SceneContext {
        param([hashtable]$Scene, $Started)
        $context = [pscustomobject]@{
            Key = $Scene.Key; Region = $Scene.Region; Logins = $Scene.Logins; Directory = $Started.Directory; ModulePath = (Get-ModuleManifestPath)
            Endpoint = (Wait-LocalEndpoint -Starting $Started.Starting); Proxy = $null; CaFile = $null
        }
        if ($Scene.Proxy) {
            $context.Proxy = Start-TinyProxy -Directory $context.Directory -User proxyuser -Password $Scene.Logins.proxyuser
            $script:Stoppable.Add($context.Proxy)
            $context.CaFile = (New-TestCertificateAuthority -Directory (Join-Path $context.Directory 'ca')).CaFile
        }
        $context | Add-Member -MemberType ScriptMethod -Name Arn -Value { param($machine) "arn:aws:states:$($this.Region):123456789012:stateMachine:$machine" }
        $context | Add-Member -MemberType ScriptMethod -Name Call -Value {
            param($operation, $body) Invoke-SignedStepFunctions $this.Endpoint -Operation $operation -Body $body -Region $this.Region
        }
        $context | Add-Member -MemberType ScriptMethod -Name Describe -Value { param($arn) $this.Call('DescribeExecution', @{ executionArn = $arn }) }
        $context | Add-Member -MemberType ScriptMethod -Name Executions -Value {
            param($machine) (Invoke-RestMethod "$($this.Endpoint.Url)/_local/executions?stateMachineArn=$([uri]::EscapeDataString($this.Arn($machine)))").executions
        }
        $context | Add-Member -MemberType ScriptMethod -Name Counters -Value { Invoke-RestMethod "$($this.Endpoint.Url)/_local/counters" }
        <# Starts an execution by hand (not through the module under test) and returns its ARN once it has reached $status. RUNNING
           is reached by an execution that has already ended too: a Short one may end before the first read on a loaded machine. #>
        $context | Add-Member -MemberType ScriptMethod -Name StartAndSettle -Value {
            param($machine, $name, $status)
            $arn = $this.Call('StartExecution', @{ stateMachineArn = $this.Arn($machine); name = $name; input = '{}' }).executionArn
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (($seen = $this.Describe($arn).status) -ne $status -and -not ($status -eq 'RUNNING' -and $seen -in 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "$arn did not reach $status within 30 s." }
                Start-Sleep -Milliseconds 50
            }
            $arn
        }
        <# Starts an execution of a Distributed Map machine by hand and returns its Map Run's ARN once its Map state has started
           one: the endpoint makes the ARN (its id is a UUID), so an example that names a run learns it only then. #>
        $context | Add-Member -MemberType ScriptMethod -Name StartMapRun -Value {
            param($machine, $name)
            $parent = $this.StartAndSettle($machine, $name, 'RUNNING')
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not ($mapRuns = $this.Call('ListMapRuns', @{ executionArn = $parent }).mapRuns)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "$parent started no Map Run within 30 s" }
                Start-Sleep -Milliseconds 50
            }
            @($mapRuns)[0].mapRunArn
        }
        $context
    }

    <# The example's code with the scene's replacements and given variables, run by Invoke-HelpExample.ps1 in a fresh pwsh. #>
    function Start-SceneRun {
        param([hashtable]$Scene, $Context)
        $code = $script:Examples[$Scene.Key]
        $given = if ($Scene.Prepare) { & $Scene.Prepare $Context } else { @{} }
        # After Prepare: a replacement may name what Prepare made (a Map Run ARN, whose id the endpoint chose).
        if ($Scene.Replace) {
            $replacements = & $Scene.Replace $Context
            foreach ($text in $replacements.Keys) {
                if (-not $code.Contains($text)) { throw "$($Scene.Key): the scene replaces '$text', which the example no longer contains." }
                $code = $code.Replace($text, $replacements[$text])
            }
        }
        $preamble = foreach ($name in $given.Keys) { "`$$name = '$($given[$name])'" }
        $exampleFile = Join-Path $Context.Directory 'example.ps1'
        (@($preamble) + $code) -join "`n" | Set-Content $exampleFile
        $resultFile = Join-Path $Context.Directory 'result.json'
        $environment = @{ AWS_ENDPOINT_URL = $Context.Endpoint.Url; HELP_EXAMPLE_LOGINS = ($Scene.Logins ?? @{}) | ConvertTo-Json -Compress }
        foreach ($name in $keys[$Scene.Keys].Keys) { $environment[$name] = $keys[$Scene.Keys][$name] }
        $child = Start-TaskScript -ScriptPath $script:Runner -Environment $environment -WorkingDirectory $Context.Directory `
            -Arguments @('-ModulePath', (Get-ModuleManifestPath), '-ExampleFile', $exampleFile, '-ResultFile', $resultFile)
        [pscustomobject]@{ Child = $child; ResultFile = $resultFile }
    }

    # Endpoints start a few scenes ahead of the one being prepared, and each example is prepared and started as soon as its
    # endpoint listens. Not all at once: two dozen endpoints starting together, beside another test file on two cores, took
    # longer than an endpoint may take to listen.
    $scenes = @(& (Join-Path $PSScriptRoot 'fixtures/HelpExampleScenes.ps1') | Where-Object { $script:Examples.Contains($_.Key) })
    $startedAhead = 4
    $started = @{}
    $script:Contexts = @{}
    $script:Runs = @{}
    for ($i = 0; $i -lt $scenes.Count; $i++) {
        foreach ($next in $scenes[$i..([Math]::Min($scenes.Count, $i + $startedAhead) - 1)]) {
            if (-not $started.Contains($next.Key)) { $started[$next.Key] = Start-SceneEndpoint $next }
        }
        $scene = $scenes[$i]
        $script:Contexts[$scene.Key] = New-SceneContext $scene $started[$scene.Key]
        $script:Runs[$scene.Key] = Start-SceneRun $scene $script:Contexts[$scene.Key]
    }

    function Wait-SceneRun {
        param([string]$Key)
        $run = $script:Runs[$Key]
        $finished = Wait-TaskScript -Task $run.Child -TimeoutSeconds 180
        $finished.ExitCode | Should -Be 0 -Because "the example's runner ends 0 whatever the example did (stderr: $($finished.Stderr))"
        $report = Get-Content -Raw $run.ResultFile | ConvertFrom-Json
        $result = [pscustomobject]@{
            Outputs = @($report.outputs); Errors = @($report.errors); Warnings = @($report.warnings)
            Stdout = $finished.Stdout; Stderr = $finished.Stderr
        }
        <# The example's one output, after checking that it wrote exactly one and no error. #>
        $result | Add-Member -MemberType ScriptMethod -Name TheOutput -Value {
            $this.Errors | Should -BeNullOrEmpty
            $this.Outputs.Count | Should -Be 1
            $this.Outputs[0]
        } -PassThru
    }
}

AfterAll {
    foreach ($running in $script:Stoppable) { try { $running.Stop() } catch { Write-Warning "could not stop: $_" } }
    foreach ($run in $script:Runs.Values) { if (-not $run.Child.Process.HasExited) { $run.Child.Process.Kill($true) } }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'The help examples' {
    It 'all have a scene, and every scene an example' {
        $scenes = & (Join-Path $PSScriptRoot 'fixtures/HelpExampleScenes.ps1')
        @($script:Examples.Keys | Sort-Object) | Should -Be @($scenes.Key | Sort-Object)
        $script:Examples.Count | Should -BeGreaterOrEqual 14
    }

    It '<Key> does what its description says' -ForEach $scenes {
        $run = Wait-SceneRun $Key
        & $Assert $run $script:Contexts[$Key]
    }
}
