<#
.SYNOPSIS
Generates the module's MAML help (en-US/AwsStepFunctions.dll-Help.xml) from one source of truth.

.DESCRIPTION
The words come from docs/help/<Cmdlet>.md (platyPS-like markdown: SYNOPSIS, DESCRIPTION, EXAMPLES,
PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS; docs/help/_ConnectionParameters.md describes the
shared parameters once). The facts come from the imported module itself: parameter sets, types,
positions, mandatory and pipeline input, so the help cannot drift from the code. A cmdlet or parameter
without words fails the build. platyPS is not on this project's feed, hence this small generator.
#>
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [string]$HelpSource = (Join-Path (Split-Path -Parent $PSScriptRoot) 'docs/help'),
    [string]$OutputPath = (Join-Path (Split-Path -Parent $ModulePath) 'en-US/AwsStepFunctions.dll-Help.xml')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters |
    Where-Object { $_ -notin 'WhatIf', 'Confirm' }

# Reads a platyPS-like markdown file into sections: H2 title -> text, or H3 title -> text for the
# sections made of items (EXAMPLES, PARAMETERS, INPUTS, OUTPUTS).
function Read-HelpMarkdown {
    param([string]$Path)
    $doc = @{}
    $h2 = $null; $h3 = $null; $buffer = [System.Text.StringBuilder]::new()
    $flush = {
        if ($h2) {
            if (-not $doc.ContainsKey($h2)) { $doc[$h2] = [ordered]@{} }
            $key = if ($h3) { $h3 } else { '' }
            # The blank line between '## INPUTS' and its first '###' is not an item of its own (it showed as an empty input type).
            $text = $buffer.ToString().Trim()
            if ($h3 -or $text) { $doc[$h2][$key] = $text }
        }
        $buffer.Clear() | Out-Null
    }
    $inFence = $false
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^## (.+)$') { & $flush; $h2 = $Matches[1].Trim().ToUpperInvariant(); $h3 = $null; continue }
        if (-not $inFence -and $line -match '^### (.+)$') { & $flush; $h3 = $Matches[1].Trim(); continue }
        if (-not $inFence -and $line -match '^# ') { continue }
        $buffer.AppendLine($line) | Out-Null
    }
    & $flush
    $doc
}

function Get-Section { param($Doc, [string]$Name, [string]$Item = '')
    if ($Doc.ContainsKey($Name) -and $Doc[$Name].Contains($Item)) { $Doc[$Name][$Item] } else { $null }
}

function Write-Paragraphs {
    param([System.Xml.XmlWriter]$Writer, [string]$Text)
    $paragraphs = if ($Text) { $Text -split '(\r?\n){2,}' | Where-Object { $_.Trim() } } else { @() }
    if (-not $paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, ''); return }
    # Markdown's `code` marks read as literal backticks in a console's Get-Help: keep the text, drop the marks.
    foreach ($p in $paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, ((($p -split '\r?\n') -join ' ') -replace '`([^`]+)`', '$1').Trim()) }
}

function Get-PipelineInput { param($Parameter)
    $kinds = @()
    if ($Parameter.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($Parameter.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-Parameter {
    param([System.Xml.XmlWriter]$Writer, $Parameter, [string]$Description, [switch]$InSyntax)
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    # An optional value (int?, DateTime?) is shown as what is typed: <DateTime>, not <Nullable`1>.
    $valueType = [Nullable]::GetUnderlyingType($Parameter.ParameterType) ?? $Parameter.ParameterType
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', "$($Parameter.IsMandatory)".ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', "$([bool]$Parameter.Wildcards)".ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineInput $Parameter))
    $Writer.WriteAttributeString('position', $(if ($Parameter.Position -ge 0) { "$($Parameter.Position)" } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.Name)
    $Writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paragraphs $Writer $Description; $Writer.WriteEndElement()
    if (-not ($isSwitch -and $InSyntax)) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', "$(-not $isSwitch)".ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($valueType.Name)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, $valueType.FullName)
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($isSwitch) { 'False' } else { $Parameter.Default }))
    $Writer.WriteEndElement()
}

# What a parameter holds when it is not given, read from a fresh instance of the cmdlet, so Get-Help shows the code's
# own defaults (PollingInterval 10, ThrottleLimit 1...). Unset, empty and zero values read 'None': there zero means
# "not given" (a -Timeout of 0 is no timeout; -RequestTimeout 0 leaves the SDK's default). Where "not given" means a value
# of its own, the parameter's help text ends with a line 'Default: ...' that says it.
function Get-ParameterDefault {
    param($Instance, [string]$Name)
    # -WhatIf and -Confirm come from SupportsShouldProcess, not from a property.
    $property = $Instance.GetType().GetProperty($Name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue($Instance)
    if ($null -eq $value -or "$value" -eq '') { return 'None' }
    $type = $value.GetType()
    if ($type.IsValueType -and -not $type.IsEnum -and $value -eq [Activator]::CreateInstance($type)) { return 'None' }
    [System.Convert]::ToString($value, [System.Globalization.CultureInfo]::InvariantCulture)
}

function Write-TypeList {
    param([System.Xml.XmlWriter]$Writer, [string]$Outer, [string]$Inner, $Items)
    $Writer.WriteStartElement('command', $Outer, $ns.command)
    foreach ($key in @($Items.Keys)) {
        $Writer.WriteStartElement('command', $Inner, $ns.command)
        $Writer.WriteStartElement('dev', 'type', $ns.dev); $Writer.WriteElementString('maml', 'name', $ns.maml, $key); $Writer.WriteEndElement()
        $Writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paragraphs $Writer $Items[$key]; $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

$module = Import-Module $ModulePath -PassThru -Force
$shared = Read-HelpMarkdown (Join-Path $HelpSource '_ConnectionParameters.md')
$problems = [System.Collections.Generic.List[string]]::new()

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
New-Item -ItemType Directory -Force (Split-Path -Parent $OutputPath) | Out-Null
$temp = "$OutputPath.tmp"
$writer = [System.Xml.XmlWriter]::Create($temp, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', $ns.msh)
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
        $source = Join-Path $HelpSource "$($command.Name).md"
        if (-not (Test-Path $source)) { $problems.Add("$($command.Name): no $source"); continue }
        $doc = Read-HelpMarkdown $source
        $synopsis = Get-Section $doc 'SYNOPSIS'
        if (-not $synopsis) { $problems.Add("$($command.Name): no SYNOPSIS") }
        $examples = if ($doc.ContainsKey('EXAMPLES')) { $doc['EXAMPLES'] } else { @{} }
        if (-not @($examples.Keys | Where-Object { $_ }).Count) { $problems.Add("$($command.Name): no example") }

        $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $CommonParameters } | Sort-Object Name)
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        $defaults = @{}
        foreach ($p in $parameters) { $defaults[$p.Name] = Get-ParameterDefault $instance $p.Name }
        if ($instance -is [IDisposable]) { $instance.Dispose() }
        $describe = @{}
        foreach ($p in $parameters) {
            $text = Get-Section $doc 'PARAMETERS' "-$($p.Name)"
            if (-not $text) { $text = Get-Section $shared 'PARAMETERS' "-$($p.Name)" }
            if (-not $text) { $problems.Add("$($command.Name) -$($p.Name): no description") }
            # A last line 'Default: ...' names a default the code cannot show: a parameter left null means it (-Input is {}).
            if ($text -match '(?m)^Default: (.+)$') {
                if ($defaults[$p.Name] -ne 'None') { $problems.Add("$($command.Name) -$($p.Name): 'Default:' line, but the code's default is $($defaults[$p.Name])") }
                $defaults[$p.Name] = $Matches[1].Trim()
                $text = ($text -replace '(?m)^Default: .+$', '').Trim()
            }
            $describe[$p.Name] = $text
        }

        $writer.WriteStartElement('command', 'command', $ns.command)
        $writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

        $writer.WriteStartElement('command', 'details', $ns.command)
        $writer.WriteElementString('command', 'name', $ns.command, $command.Name)
        $writer.WriteElementString('command', 'verb', $ns.command, $command.Verb)
        $writer.WriteElementString('command', 'noun', $ns.command, $command.Noun)
        $writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paragraphs $writer $synopsis; $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paragraphs $writer (Get-Section $doc 'DESCRIPTION'); $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'syntax', $ns.command)
        foreach ($set in $command.ParameterSets) {
            $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
            $writer.WriteElementString('maml', 'name', $ns.maml, $command.Name)
            # As PowerShell's own help reads: positional and mandatory first, then what the cmdlet itself declares, then the
            # parameters shared through its base classes (the wait's, then the connection's), -WhatIf and -Confirm last.
            $implementing = $command.ImplementingType
            $depth = {
                param($name)
                if ($name -in 'WhatIf', 'Confirm') { return [int]::MaxValue }
                # -First, -Skip and -IncludeTotalCount come from SupportsPaging, not from a property: after the connection's.
                $property = $implementing.GetProperty($name)
                if (-not $property) { return [int]::MaxValue - 1 }
                $declaring = $property.DeclaringType
                $level = 0
                for ($type = $implementing; $type -and $type -ne $declaring; $type = $type.BaseType) { $level++ }
                $level
            }
            $ordered = $set.Parameters | Where-Object { $_.Name -notin $CommonParameters } |
                Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } },
                    @{ Expression = { & $depth $_.Name } }, Name
            foreach ($p in $ordered) {
                $meta = $command.Parameters[$p.Name]
                $view = [pscustomobject]@{
                    Name = $p.Name; ParameterType = $p.ParameterType; IsMandatory = $p.IsMandatory; Position = $p.Position
                    ValueFromPipeline = $p.ValueFromPipeline; ValueFromPipelineByPropertyName = $p.ValueFromPipelineByPropertyName; Aliases = $meta.Aliases
                    Default = $defaults[$p.Name]; Wildcards = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                }
                Write-Parameter $writer $view $describe[$p.Name] -InSyntax
            }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'parameters', $ns.command)
        foreach ($p in $parameters) {
            $first = $p.ParameterSets.Values | Select-Object -First 1
            $view = [pscustomobject]@{
                Name = $p.Name; ParameterType = $p.ParameterType; IsMandatory = $first.IsMandatory; Position = $first.Position
                ValueFromPipeline = $first.ValueFromPipeline; ValueFromPipelineByPropertyName = $first.ValueFromPipelineByPropertyName; Aliases = $p.Aliases
                Default = $defaults[$p.Name]; Wildcards = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            }
            Write-Parameter $writer $view $describe[$p.Name]
        }
        $writer.WriteEndElement()

        $inputs = if ($doc.ContainsKey('INPUTS')) { $doc['INPUTS'] } else { [ordered]@{ 'None' = '' } }
        Write-TypeList $writer 'inputTypes' 'inputType' $inputs
        $outputs = [ordered]@{}
        foreach ($type in $command.OutputType) { $outputs[$type.Name] = Get-Section $doc 'OUTPUTS' $type.Name }
        Write-TypeList $writer 'returnValues' 'returnValue' $outputs

        $writer.WriteStartElement('maml', 'alertSet', $ns.maml)
        $writer.WriteStartElement('maml', 'alert', $ns.maml); Write-Paragraphs $writer (Get-Section $doc 'NOTES'); $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'examples', $ns.command)
        foreach ($title in @($examples.Keys | Where-Object { $_ })) {
            $body = $examples[$title]
            $code = if ($body -match '(?s)```(?:powershell)?\r?\n(.*?)\r?\n```') { $Matches[1] } else { '' }
            $remarks = ($body -replace '(?s)```.*?```', '').Trim()
            $writer.WriteStartElement('command', 'example', $ns.command)
            $writer.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $title --------------------------")
            $writer.WriteElementString('dev', 'code', $ns.dev, $code)
            $writer.WriteStartElement('dev', 'remarks', $ns.dev); Write-Paragraphs $writer $remarks; $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'relatedLinks', $ns.command)
        $links = Get-Section $doc 'RELATED LINKS'
        foreach ($link in @(if ($links) { $links -split '\r?\n' } else { @() })) {
            $text = ($link -replace '^\s*[-*]\s*', '').Trim()
            if (-not $text) { continue }
            $writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
            $writer.WriteElementString('maml', 'linkText', $ns.maml, $text)
            $writer.WriteElementString('maml', 'uri', $ns.maml, '')
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
} finally {
    $writer.Dispose()
}

if ($problems.Count) {
    Remove-Item $temp -Force
    foreach ($p in $problems) { Write-Host "help: $p" -ForegroundColor Red }
    throw "Help is incomplete ($($problems.Count) problem(s)); describe them in $HelpSource."
}
Move-Item -Force $temp $OutputPath
Write-Host "help: wrote $OutputPath"
