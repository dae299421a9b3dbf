using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_SavepointCleanupDemo_DeletesTheOlderSavepointsThenFindsNothingToDelete()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "savepoint-cleanup-demo.flink"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("✓ Savepoints: 4 in the cmf catalog, 4 completed:", output);
        Assert.Contains("Delete 2 savepoint(s) of orders-enricher: orders-enricher-daily-3, orders-enricher-daily-4 (not restorable afterwards)", output);
        Assert.Contains("✓ Savepoints: 2 in the cmf catalog, 2 completed:", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} savepoint-cleanup orders-enricher: Succeeded$", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} savepoint-cleanup orders-enricher: PreconditionsFailed$", output);
        Assert.Contains("nothing to delete: 2 savepoint(s) of orders-enricher", output);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }
}
