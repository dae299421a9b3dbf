using System.Text.RegularExpressions;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_LocksDemo_UpgradesUnderTheOwnLockAndReleasesIt()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "locks-demo.flink"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("orders-enricher on demo is now locked by", output);
        Assert.Contains("“INC-42: upgrading by hand”", output);
        Assert.Equal(["Succeeded"], FinalLine().Matches(output).Select(m => m.Groups["state"].Value));
        Assert.Matches(new Regex("orders-enricher on demo unlocked by .+ \\(held "), output);
        Assert.Contains("No job is locked.", output);
    }
}
