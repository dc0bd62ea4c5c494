# The module as a user imports it: manifest, exports, signatures, format, help. No endpoint needed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Manifest = Get-ModuleManifestPath
    $script:Module = Import-Module $script:Manifest -PassThru -Force
    $script:Cmdlets = @('Start-UeStepFunction', 'Wait-UeStepFunction', 'Get-UeStepFunctionResult', 'Stop-UeStepFunction', 'Restart-UeStepFunction', 'Get-UeStepFunctionExecution', 'Get-UeStepFunctionHistory', 'Get-UeStepFunctionStateMachine', 'Get-UeStepFunctionMapRun', 'Set-UeStepFunctionMapRun')
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters |
        Where-Object { $_ -notin 'WhatIf', 'Confirm' }
}

Describe 'The manifest' {
    It 'is valid, for both editions, from PowerShell 5.1, with no wildcard exports' {
        $info = Test-ModuleManifest -Path $script:Manifest
        $info.PowerShellVersion | Should -Be ([version]'5.1')
        $info.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data = Import-PowerShellDataFile $script:Manifest
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
    }

    It 'exports exactly the ten cmdlets' {
        @($script:Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Cmdlets | Sort-Object)
    }
}

Describe 'The cmdlet signatures' {
    It '<Name> declares its output type, and no AWSSDK type appears in any signature' -ForEach @(
        @{ Name = 'Start-UeStepFunction'; Output = 'AwsStepFunctions.Core.ExtensionOutput' }
        @{ Name = 'Wait-UeStepFunction'; Output = 'AwsStepFunctions.Core.ExtensionOutput' }
        @{ Name = 'Get-UeStepFunctionResult'; Output = 'AwsStepFunctions.Core.ExtensionOutput' }
        @{ Name = 'Stop-UeStepFunction'; Output = 'AwsStepFunctions.Core.ExtensionOutput' }
        @{ Name = 'Restart-UeStepFunction'; Output = 'AwsStepFunctions.Core.ExtensionOutput' }
        @{ Name = 'Get-UeStepFunctionExecution'; Output = 'AwsStepFunctions.Core.ExecutionSummary' }
        @{ Name = 'Get-UeStepFunctionHistory'; Output = 'AwsStepFunctions.Core.HistoryEvent' }
        @{ Name = 'Get-UeStepFunctionStateMachine'; Output = 'AwsStepFunctions.Core.StateMachineSummary' }
        @{ Name = 'Get-UeStepFunctionMapRun'; Output = 'AwsStepFunctions.Core.MapRun' }
        @{ Name = 'Set-UeStepFunctionMapRun'; Output = 'AwsStepFunctions.Core.MapRun' }
    ) {
        $command = Get-Command $Name
        $command.OutputType.Type.FullName | Should -Be $Output
        foreach ($p in $command.Parameters.Values) {
            $p.ParameterType.Assembly.GetName().Name | Should -Not -BeLike 'AWSSDK*' -Because "-$($p.Name) of $Name"
        }
    }

    It 'shares the connection parameters on every cmdlet' {
        foreach ($name in $script:Cmdlets) {
            $parameters = (Get-Command $name).Parameters
            foreach ($p in 'Region', 'Credential', 'ProfileName', 'RoleArn', 'ExternalId', 'RoleSessionName', 'EndpointUrl', 'Proxy', 'ProxyType', 'ProxyCredential', 'ProxyCaBundleFile') {
                $parameters.Keys | Should -Contain $p -Because "$name needs -$p"
            }
        }
    }

    It 'asks before stopping (ConfirmImpact High) and supports -WhatIf on Start, Stop, Restart and Set-UeStepFunctionMapRun' {
        (Get-Command Stop-UeStepFunction).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
        # A redrive and a Map Run's new settings change a run without ending it: the default $ConfirmPreference (High) does not ask, -Confirm does.
        foreach ($name in 'Restart-UeStepFunction', 'Set-UeStepFunctionMapRun') {
            (Get-Command $name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be 'Medium' -Because $name
        }
        foreach ($name in 'Start-UeStepFunction', 'Stop-UeStepFunction', 'Restart-UeStepFunction', 'Set-UeStepFunctionMapRun') { (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf' }
    }

    It 'binds -ExecutionArn from the pipeline by value and by property name' {
        foreach ($name in 'Wait-UeStepFunction', 'Get-UeStepFunctionResult', 'Stop-UeStepFunction', 'Restart-UeStepFunction', 'Get-UeStepFunctionHistory') {
            $p = (Get-Command $name).Parameters['ExecutionArn'].ParameterSets.Values | Select-Object -First 1
            $p.ValueFromPipeline | Should -BeTrue
            $p.ValueFromPipelineByPropertyName | Should -BeTrue
        }
    }

    It 'binds -MapRunArn from the pipeline by property name only on the two listings, by value too on Set-UeStepFunctionMapRun, and the Map Run listing''s -ExecutionArn by value only' {
        # A string piped in is the other ARN (the machine's, the parent execution's): only a MapRunArn property selects the Map Run.
        foreach ($name in 'Get-UeStepFunctionExecution', 'Get-UeStepFunctionMapRun') {
            $p = (Get-Command $name).Parameters['MapRunArn'].ParameterSets.Values | Select-Object -First 1
            $p.ValueFromPipeline | Should -BeFalse -Because $name
            $p.ValueFromPipelineByPropertyName | Should -BeTrue -Because $name
        }
        # Set-UeStepFunctionMapRun takes no other ARN a string could be meant for: Map Run ARN strings bind as the Map Runs do.
        $p = (Get-Command Set-UeStepFunctionMapRun).Parameters['MapRunArn'].ParameterSets.Values | Select-Object -First 1
        $p.ValueFromPipeline | Should -BeTrue
        $p.ValueFromPipelineByPropertyName | Should -BeTrue
        # A Map Run piped back in carries its parent's ExecutionArn too: by property name that would list the parent's runs
        # instead of reading the run again. The module's other objects still bind, by value: the transformation reads their ARN.
        $p = (Get-Command Get-UeStepFunctionMapRun).Parameters['ExecutionArn'].ParameterSets.Values | Select-Object -First 1
        $p.ValueFromPipeline | Should -BeTrue
        $p.ValueFromPipelineByPropertyName | Should -BeFalse
    }
}

Describe 'Loading' {
    It 'keeps AwsStepFunctions.Core and the AWS SDK out of the default load context' {
        # Force the core to load: reading a Core type through the cmdlet metadata is enough.
        $null = (Get-Command Start-UeStepFunction).OutputType.Type
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AwsStepFunctions.Core' }
        $core | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core).GetType().Name | Should -Be 'DependencyLoadContext'
        $core.Location | Should -BeLike ([IO.Path]::Combine((Get-RepoRoot), 'bin', 'deps', '*'))
    }

    It 'warms up the first call after import on its own thread, with the AWS SDK in the module''s own load context' {
        # The warm-up loads the SDK after Import-Module has returned; wait for it (it takes ~100 ms of CPU).
        $script = @"
Import-Module '$($script:Manifest)'
`$deadline = [DateTime]::UtcNow.AddSeconds(20)
while (-not ([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -contains 'AWSSDK.Core') -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 50 }
`$sdk = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -like 'AWSSDK*' }
@(`$sdk | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).GetType().Name }) -join ','
"@
        $contexts = & (Get-PwshPath) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        "$contexts".Trim() | Should -Match '^DependencyLoadContext(,DependencyLoadContext)*$'
    }

    It 'imports without loading the AWS SDK when the warm-up is switched off (AWSSTEPFUNCTIONS_DISABLE_PREWARM=1), and loads it when on' {
        # The child proves the import worked (an import that failed would load no SDK either), waits until the warm-up is
        # over (a fixed sleep could not tell "off" from "slow"), and only then lists the AWS SDK assemblies it has loaded.
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($script:Manifest)'
if (Get-Module AwsStepFunctions) { 'IMPORTED' }
$(Get-PrewarmWaitScript)
'SDK: ' + (@([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -match '^AWSSDK') -join ',')
"@
        function Invoke-ImportChild {
            param([string]$DisablePrewarm)
            $saved = $env:AWSSTEPFUNCTIONS_DISABLE_PREWARM
            if ($DisablePrewarm) { $env:AWSSTEPFUNCTIONS_DISABLE_PREWARM = $DisablePrewarm } else { Remove-Item Env:AWSSTEPFUNCTIONS_DISABLE_PREWARM -ErrorAction Ignore }
            try { @(& (Get-PwshPath) -NoProfile -NonInteractive -Command $script) }
            finally { if ($null -eq $saved) { Remove-Item Env:AWSSTEPFUNCTIONS_DISABLE_PREWARM -ErrorAction Ignore } else { $env:AWSSTEPFUNCTIONS_DISABLE_PREWARM = $saved } }
        }
        # The names on the child's one SDK line (a missing line means the child stopped before its last word).
        function Get-ReportedSdk {
            param([string[]]$Lines)
            $line = @($Lines -like 'SDK:*')
            $line | Should -HaveCount 1 -Because ($Lines -join "`n")
            @(($line[0] -replace '^SDK:\s*') -split ',' | Where-Object { $_ })
        }

        $off = Invoke-ImportChild '1'
        $LASTEXITCODE | Should -Be 0 -Because ($off -join "`n")
        $off | Should -Contain 'IMPORTED' -Because 'the module must have been imported for "no SDK loaded" to mean anything'
        Get-ReportedSdk $off | Should -BeNullOrEmpty -Because 'with the warm-up off, nothing loads the AWS SDK before the first call'

        # The control: the same child without the variable has the SDK once the warm-up is over, so the run above
        # would fail if the variable stopped mattering (or if the probe were too early to see the warm-up's loads).
        $on = Invoke-ImportChild $null
        $LASTEXITCODE | Should -Be 0 -Because ($on -join "`n")
        $on | Should -Contain 'IMPORTED'
        Get-ReportedSdk $on | Should -Contain 'AWSSDK.Core' -Because 'the warm-up loads the AWS SDK when it is on'
    }

    It 'refuses to import a copy whose core assembly is <_>, naming the file, and leaves no half-imported module' -ForEach @('missing', 'damaged') {
        $copy = Join-Path ([IO.Path]::GetTempPath()) "partial-$([guid]::NewGuid().ToString('n'))"
        try {
            $root = Split-Path $script:Manifest
            New-Item -ItemType Directory $copy | Out-Null
            foreach ($item in 'AwsStepFunctions.psd1', 'AwsStepFunctions.format.ps1xml', 'bin') { Copy-Item -Recurse (Join-Path $root $item) $copy }
            # Every copy of the core: the IL one and the precompiled ones the loader prefers.
            $cores = Get-ChildItem -Recurse (Join-Path $copy 'bin/deps') -Filter 'AwsStepFunctions.Core.dll'
            $cores | Should -Not -BeNullOrEmpty
            foreach ($core in $cores) {
                if ($_ -eq 'missing') { Remove-Item $core.FullName }
                else { [IO.File]::WriteAllBytes($core.FullName, [byte[]](1..4096 | ForEach-Object { $_ % 251 })) }
            }
            $script = "try { Import-Module '$(Join-Path $copy 'AwsStepFunctions.psd1')' -ErrorAction Stop; 'IMPORTED' } catch { 'ERROR: ' + `$_.Exception.Message }; 'MODULES: ' + ((Get-Module).Name -join ',')"
            $lines = & (Get-PwshPath) -NoProfile -NonInteractive -Command $script
            $LASTEXITCODE | Should -Be 0 -Because 'a damaged module is an error PowerShell reports, not a crash of the process'
            $text = $lines -join "`n"
            $expected = if ($_ -eq 'missing') { '*module is incomplete: its core assembly*AwsStepFunctions.Core.dll is missing. Reinstall*' }
                        else { '*module is damaged: its core assembly*AwsStepFunctions.Core.dll cannot be read (*). Reinstall*' }
            $text | Should -BeLike "*ERROR: $expected"
            $text | Should -Not -Match 'IMPORTED'
            ($lines | Where-Object { $_ -like 'MODULES: *' }) | Should -Not -Match 'AwsStepFunctions'
        }
        finally { Remove-Item -Recurse -Force $copy -ErrorAction SilentlyContinue }
    }
}

Describe "The core's type names" {
    It 'are usable in scripts once the module is imported, as the very types the cmdlets declare and bind' {
        # A fresh pwsh: PowerShell caches a type name once resolved, for the whole process. The core lives in the module's own
        # load context, which PowerShell's type lookup does not search; before the import the names must not resolve, or the
        # rest of this test would prove nothing.
        $script = @"
`$ErrorActionPreference = 'Stop'
try { `$null = [type]'AwsStepFunctions.Core.ProxyKind'; 'RESOLVED BEFORE IMPORT' } catch { 'UNKNOWN BEFORE IMPORT' }
Import-Module '$($script:Manifest)'
`$start = Get-Command Start-UeStepFunction
'output ' + ([AwsStepFunctions.Core.ExtensionOutput] -eq `$start.OutputType[0].Type)
'proxy ' + ([AwsStepFunctions.Core.ProxyKind] -eq `$start.Parameters['ProxyType'].ParameterType)
'parts ' + ([AwsStepFunctions.Core.Invocation] -eq [AwsStepFunctions.Core.ExtensionOutput].GetProperty('invocation').PropertyType) + ' ' + ([AwsStepFunctions.Core.ExecutionResult] -eq [AwsStepFunctions.Core.ExtensionOutput].GetProperty('result').PropertyType)
'listing ' + ([AwsStepFunctions.Core.ExecutionSummary] -eq (Get-Command Get-UeStepFunctionExecution).OutputType[0].Type)
'history ' + ([AwsStepFunctions.Core.HistoryEvent] -eq (Get-Command Get-UeStepFunctionHistory).OutputType[0].Type)
'machines ' + ([AwsStepFunctions.Core.StateMachineSummary] -eq (Get-Command Get-UeStepFunctionStateMachine).OutputType[0].Type)
'map runs ' + ([AwsStepFunctions.Core.MapRun] -eq (Get-Command Get-UeStepFunctionMapRun).OutputType[0].Type) + ' ' + ([AwsStepFunctions.Core.MapRun] -eq (Get-Command Set-UeStepFunctionMapRun).OutputType[0].Type) + ' ' + ([AwsStepFunctions.Core.MapRunCounts] -eq [AwsStepFunctions.Core.MapRun].GetProperty('ItemCounts').PropertyType)
function Read-ExitCode([AwsStepFunctions.Core.ExtensionOutput]`$Outcome) { `$Outcome.exit_code }
'typed parameter ' + (Read-ExitCode ([AwsStepFunctions.Core.ExtensionOutput]@{ exit_code = 23 }))
'enum ' + [int][AwsStepFunctions.Core.ProxyKind]'HttpsWithCredentials'
"@
        $lines = @(& (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" })
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines | Should -Be @('UNKNOWN BEFORE IMPORT', 'output True', 'proxy True', 'parts True True', 'listing True', 'history True', 'machines True', 'map runs True True True', 'typed parameter 23', 'enum 2')
    }

    It 'are published per process, kept while any runspace has the module, and withdrawn with the last import' {
        # The accelerator table, not a type lookup: PowerShell keeps every name it has resolved in a process-wide cache,
        # whatever happens to the accelerator afterwards.
        $script = @"
`$ErrorActionPreference = 'Stop'
`$table = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
function Test-Published { `$table::Get.ContainsKey('AwsStepFunctions.Core.ExtensionOutput') }
'before ' + (Test-Published)
Import-Module '$($script:Manifest)'
'imported ' + (Test-Published)
# Runspaces of their own import it and end without removing it: the names stay.
`$names = 1..2 | ForEach-Object -Parallel { Import-Module '$($script:Manifest)'; [AwsStepFunctions.Core.ProxyKind]::Https } -ThrottleLimit 2
'parallel ' + (`$names -join ',')
Remove-Module AwsStepFunctions
'removed here, imported in two runspaces ' + (Test-Published)
"@
        $lines = @(& (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" })
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines | Should -Be @('before False', 'imported True', 'parallel Https,Https', 'removed here, imported in two runspaces True')

        $script = @"
`$ErrorActionPreference = 'Stop'
`$table = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
Import-Module '$($script:Manifest)'
Remove-Module AwsStepFunctions
'removed ' + `$table::Get.ContainsKey('AwsStepFunctions.Core.ExtensionOutput')
Import-Module '$($script:Manifest)'
'imported again ' + `$table::Get.ContainsKey('AwsStepFunctions.Core.ExtensionOutput')
"@
        $lines = @(& (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" })
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines | Should -Be @('removed False', 'imported again True')
    }
}

Describe 'The default view' {
    It 'formats the Extension Output as a table with its exit code and status' {
        $view = Get-FormatData -TypeName 'AwsStepFunctions.Core.ExtensionOutput'
        $view | Should -Not -BeNullOrEmpty
        # Named through the cmdlet's metadata, not the published type names (tested on their own).
        $type = (Get-Command Start-UeStepFunction).OutputType[0].Type
        $output = $type::new()
        $output.exit_code = 23
        $output.status_description = 'FAILED: Step Function is in FAILED state.'
        $text = $output | Out-String -Width 200
        $text | Should -Match 'exit_code'
        $text | Should -Match 'FAILED: Step Function is in FAILED state.'
        # An 80-column console still shows every column's header and the start of the description.
        $narrow = ($output | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $narrow[0] | Should -Match '^\s*exit_code\s+Status\s+Name\s+Description\s*$'
        $narrow[2] | Should -Match '23\s+FAILED: Step'
        # A generated execution name shows whole there: it is what the next command needs.
        $started = $type::new()
        $started.status_description = "SUCCESS: Step Function execution 'ue-20261130T161315-255f99a1b2c3d4e5-1' started; it is in RUNNING state."
        $started.result = $type.GetProperty('result').PropertyType::new()
        $started.result.Name = 'ue-20261130T161315-255f99a1b2c3d4e5-1'
        $started.result.Status = 'RUNNING'
        ($started | Out-String -Width 80) | Should -Match '\s0 RUNNING\s+ue-20261130T161315-255f99a1b2c3d4e5-1\s+SUCCESS'
    }
}

Describe 'Help' {
    It 'the MAML sits in en-US next to the manifest, generated by the build' {
        Join-Path (Get-RepoRoot) 'en-US/AwsStepFunctions.dll-Help.xml' | Should -Exist
        Join-Path (Get-RepoRoot) 'en-US/about_AwsStepFunctions.help.txt' | Should -Exist
    }

    It '<_> has a synopsis, a description and at least one example' -ForEach @(
        'Start-UeStepFunction', 'Wait-UeStepFunction', 'Get-UeStepFunctionResult', 'Stop-UeStepFunction', 'Restart-UeStepFunction', 'Get-UeStepFunctionExecution', 'Get-UeStepFunctionHistory', 'Get-UeStepFunctionStateMachine', 'Get-UeStepFunctionMapRun', 'Set-UeStepFunctionMapRun'
    ) {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*Start-UeStepFunction|\[<CommonParameters>\]' -Because 'an auto-generated synopsis means the MAML was not found'
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 1
        foreach ($example in $help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
        foreach ($type in @($help.inputTypes.inputType)) { $type.type.name | Should -Not -BeNullOrEmpty -Because 'every INPUTS entry names a type' }
    }

    It '<_> describes every parameter' -ForEach @(
        'Start-UeStepFunction', 'Wait-UeStepFunction', 'Get-UeStepFunctionResult', 'Stop-UeStepFunction', 'Restart-UeStepFunction', 'Get-UeStepFunctionExecution', 'Get-UeStepFunctionHistory', 'Get-UeStepFunctionStateMachine', 'Get-UeStepFunctionMapRun', 'Set-UeStepFunctionMapRun'
    ) {
        $name = $_
        foreach ($p in (Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $script:Common }) {
            $help = Get-Help $name -Parameter $p
            ($help.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$p of $name needs a description"
            # What is typed: an optional value (DateTime?, int?) reads <DateTime>, never <Nullable`1>.
            "$($help.parameterValue)" | Should -Not -Match 'Nullable' -Because "-$p of $name shows its type as typed"
            "$($help.type.name)" | Should -Not -BeLike 'System.Nullable*' -Because "-$p of $name shows its type as typed"
            $wildcards = [bool]((Get-Command $name).Parameters[$p].Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            "$($help.globbing)" | Should -Be "$wildcards".ToLowerInvariant() -Because "-$p of $name says whether it takes wildcards"
        }
    }

    It 'shows each parameter''s default as the cmdlet has it' {
        $defaults = @{}
        foreach ($h in Get-Help Start-UeStepFunction -Parameter *) { $defaults[$h.name] = "$($h.defaultValue)" }
        $defaults.PollingInterval | Should -Be '10'
        $defaults.RunCount | Should -Be '1'
        $defaults.ThrottleLimit | Should -Be '1'
        $defaults.UnreachableTimeout | Should -Be '300'
        $defaults.ProxyType | Should -Be 'Http'
        $defaults.Timeout | Should -Be 'None' -Because 'no -Timeout means no timeout'
        # Null in the code, a value of their own in effect: the help says which.
        $defaults.Input | Should -Be '{}'
        $defaults.RequestTimeout | Should -Be '100'
        (Get-Help Start-UeStepFunction -Parameter Input).description.Text -join '' | Should -Not -Match 'Default:'
        $defaults.Wait | Should -Be 'False'
    }

    It 'Start-UeStepFunction shows the seed''s three task examples' {
        $titles = (Get-Help Start-UeStepFunction -Examples).examples.example.title -join "`n"
        $titles | Should -Match 'Keys only'
        $titles | Should -Match 'authenticated proxy'
        $titles | Should -Match 'role without keys'
    }

    It 'about_AwsStepFunctions is found by Get-Help' {
        (Get-Help about_AwsStepFunctions | Out-String) | Should -Match 'Windows PowerShell 5.1'
    }
}
