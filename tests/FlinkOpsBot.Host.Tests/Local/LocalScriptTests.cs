using System.Diagnostics;
using System.Text.RegularExpressions;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>
/// The README's demo as a newcomer runs it: the built host, in local mode, reading a script, as a separate process.
/// </summary>
public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_UpgradeDemo_SucceedsThenRollsBack()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "upgrade-demo.flink"));

        Assert.True(exitCode == 0, output);
        var finals = FinalLine().Matches(output).Select(m => m.Groups["state"].Value).ToList();
        Assert.Equal(["Succeeded", "RolledBack"], finals);
        Assert.Contains("Local mode: self-approval is allowed", output);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }

    [Fact]
    public async Task LocalScript_RefusedLine_ExitsNonZeroAndSaysWhy()
    {
        var script = Path.Combine(Path.GetTempPath(), $"flinkopsbot-{Guid.NewGuid():N}.flink");
        await File.WriteAllTextAsync(script, "# a typo\n/flink upgrade orders-enricher --jarr x.jar\n");
        try
        {
            var (exitCode, output) = await RunLocalAsync(script);

            Assert.Equal(1, exitCode);
            Assert.Contains("Unknown option --jarr for upgrade", output);
            Assert.Contains("1 line(s) were refused.", output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static Task<(int ExitCode, string Output)> RunLocalAsync(string script) =>
        LocalModeProcess.RunAsync("--script", script, "--timeout", "60");

    [GeneratedRegex(@"^R-[0-9A-Z]{4} upgrade orders-enricher: (?<state>\w+)$", RegexOptions.Multiline)]
    private static partial Regex FinalLine();
}
