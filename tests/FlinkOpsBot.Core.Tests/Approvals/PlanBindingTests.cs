using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Tests.Lifecycle;

namespace FlinkOpsBot.Core.Tests.Approvals;

public class PlanBindingTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(30, 25)] // 80 % is 24 min, 5 min before expiry is 25 min: the later
    [InlineData(10, 8)] // 80 % is 8 min, 5 min before is 5 min
    [InlineData(60, 55)]
    [InlineData(120, 115)]
    [InlineData(5, 4)] // 5 min before would be the opening itself; 80 % is later
    public void ReminderAt_GateLifetime_IsEightyPercentOrFiveMinutesBeforeWhicheverIsLater(int lifetimeMinutes, int expectedMinutes)
    {
        var at = PlanBinding.ReminderAt(Opened, Opened.AddMinutes(lifetimeMinutes));

        Assert.Equal(Opened.AddMinutes(expectedMinutes), at);
    }

    [Fact]
    public void StaleCardRefusal_CardShowedTheCurrentPlan_AllowsInAnyCase()
    {
        var run = RunWithPlan();

        Assert.Null(PlanBinding.StaleCardRefusal(run, run.Plan!.Hash));
        Assert.Null(PlanBinding.StaleCardRefusal(run, run.Plan!.Hash.ToUpperInvariant()));
    }

    [Fact]
    public void StaleCardRefusal_NoHashOnTheClick_ApprovesThePlanAsItStands()
    {
        Assert.Null(PlanBinding.StaleCardRefusal(RunWithPlan(), null));
    }

    [Fact]
    public void StaleCardRefusal_CardShowedAnOlderPlan_SaysThePlanChangedAndToSeeTheUpdatedCard()
    {
        var run = RunWithPlan();

        var refusal = PlanBinding.StaleCardRefusal(run, "deadbeef");

        Assert.Equal($"The plan changed since this card was shown (it showed plan deadbeef, the plan is now {run.Plan!.Hash}); see the updated card, " +
                     $"then approve again if it still looks right. Nothing was recorded for {run.Id}.", refusal);
    }

    private static Runs.Run RunWithPlan()
    {
        var run = RunLifecycleTests.NewRun();
        run.Plan = new RunPlan("upgrade", "demo", "orders-enricher", null, null, "x.jar", 2, 2, "s3://sp", false, null, [], [],
            [new PlanCheck("job-running", "Job is RUNNING", CheckOutcome.Pass, "status=RUNNING")], null);
        return run;
    }
}
