using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Plans;

namespace FlinkOpsBot.Core.Tests.Plans;

public class PlanHasherTests
{
    private static readonly RunPlan Plan = new(
        "upgrade", "demo", "orders-enricher", "3f2a9c1b3f2a9c1b3f2a9c1b3f2a9c1b",
        "0b6f7c1e-0000-4000-8000-000000000001_orders-enricher-2.3.1.jar",
        "0b6f7c1e-0000-4000-8000-000000000002_orders-enricher-2.4.0.jar",
        2, 2, "s3://flink/savepoints", false, "orders-enricher-2.3.1.jar from the same savepoint",
        ["stop-with-savepoint: Stop orders-enricher with a savepoint", "submit-from-savepoint: Start orders-enricher-2.4.0.jar from it"],
        ["cancel-job: Cancel the new job"],
        [
            new("job-running", "Job is RUNNING", CheckOutcome.Pass, "jobId=3f2a; status=RUNNING; since=2026-12-05T14:00:00.0000000+00:00"),
            new("no-failed-checkpoints", "No recent checkpoint failures", CheckOutcome.Pass, "failedSinceStart=0; latestFailed=none"),
        ],
        new DowntimeEstimate(32, "2 × 1 s + 30 s"));

    [Fact]
    public void Hash_SamePlan_IsTheSameEightHexCharactersEveryTime()
    {
        var copy = Plan with { Steps = Plan.Steps.ToList(), Preconditions = Plan.Preconditions.ToList() };

        Assert.Equal(Plan.Hash, copy.Hash);
        Assert.Matches("^[0-9a-f]{8}$", Plan.Hash);
        Assert.True(PlanHasher.IsShortHash(Plan.Hash));
    }

    [Fact]
    public void Hash_KnownPlan_IsStableAcrossProcessesAndVersions()
    {
        // SHA-256 over the canonical UTF-8 form: a change here changes every stored approval's meaning, so it must be deliberate.
        Assert.StartsWith(PlanHasher.FormVersion + "\nrecipe=upgrade\ncluster=demo\njob=orders-enricher\n", PlanHasher.Canonical(Plan), StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PlanHasher.Canonical(Plan))))[..8], Plan.Hash);
        Assert.Equal("b9569b48", Plan.Hash);
    }

    public static readonly TheoryData<string, RunPlan> Changed = new()
    {
        { "JobID (the job was replaced)", Plan with { JobId = "9c1b9c1b9c1b9c1b9c1b9c1b9c1b9c1b" } },
        { "current jar (someone else deployed)", Plan with { CurrentJar = "0b6f7c1e-0000-4000-8000-000000000009_orders-enricher-2.3.2.jar" } },
        { "target jar (a newer upload)", Plan with { TargetJar = "0b6f7c1e-0000-4000-8000-000000000003_orders-enricher-2.4.0.jar" } },
        { "current parallelism", Plan with { CurrentParallelism = 4 } },
        { "target parallelism", Plan with { TargetParallelism = 6 } },
        { "savepoint directory", Plan with { SavepointDirectory = "s3://other/savepoints" } },
        { "allowNonRestoredState", Plan with { AllowNonRestoredState = true } },
        { "rollback target", Plan with { RollbackTarget = "orders-enricher-2.2.0.jar from the same savepoint" } },
        { "a step", Plan with { Steps = [Plan.Steps[0]] } },
        { "a rollback step", Plan with { RollbackSteps = [] } },
        { "a precondition outcome", Plan with { Preconditions = [Plan.Preconditions[0], Plan.Preconditions[1] with { Outcome = CheckOutcome.Fail }] } },
        { "a newer checkpoint failed (basis)", Plan with { Preconditions = [Plan.Preconditions[0], Plan.Preconditions[1] with { Basis = "failedSinceStart=1; latestFailed=12" }] } },
        { "the job restarted (basis)", Plan with { Preconditions = [Plan.Preconditions[0] with { Basis = "jobId=3f2a; status=RUNNING; since=2026-12-05T14:20:00.0000000+00:00" }, Plan.Preconditions[1]] } },
        { "a value present vs absent", Plan with { SavepointDirectory = null } },
        { "an empty value vs absent", Plan with { SavepointDirectory = "" } },
    };

    [Theory]
    [MemberData(nameof(Changed))]
    public void Hash_AnythingThatDecidesTheRunChanges_ChangesTheHashAndTheDiffSaysWhat(string what, RunPlan changed)
    {
        Assert.True(Plan.Hash != changed.Hash, $"changing the {what} must change the hash");
        Assert.NotEmpty(PlanDiff.Changes(Plan, changed));
    }

    [Fact]
    public void Hash_OnlyTheDowntimeEstimateOrATitleChanged_StaysTheSame()
    {
        var shownDifferently = Plan with
        {
            Downtime = new DowntimeEstimate(90, "2 × 30 s + 30 s"),
            Preconditions = [Plan.Preconditions[0] with { Title = "Job runs" }, Plan.Preconditions[1]],
        };

        Assert.Equal(Plan.Hash, shownDifferently.Hash);
        Assert.Empty(PlanDiff.Changes(Plan, shownDifferently));
    }

    [Fact]
    public void Canonical_ValueWithALineBreak_CannotForgeAnotherField()
    {
        var forged = Plan with { SavepointDirectory = "s3://x\nallowNonRestoredState=false" };

        Assert.DoesNotContain("s3://x\nallowNonRestoredState", PlanHasher.Canonical(forged), StringComparison.Ordinal);
        Assert.Single(PlanHasher.Canonical(forged).Split('\n'), l => l.StartsWith("allowNonRestoredState=", StringComparison.Ordinal));
    }

    [Fact]
    public void Changes_NewerCheckpointFailure_NamesTheCheckAndBothFacts()
    {
        var changed = Plan with { Preconditions = [Plan.Preconditions[0], Plan.Preconditions[1] with { Basis = "failedSinceStart=1; latestFailed=12" }] };

        var line = Assert.Single(PlanDiff.Changes(Plan, changed));

        Assert.Equal("No recent checkpoint failures: failedSinceStart=0; latestFailed=none → failedSinceStart=1; latestFailed=12", line);
    }
}
