using FlinkOpsBot.Core.Lifecycle;

namespace FlinkOpsBot.Core.Tests.Lifecycle;

public class StateMachineTests
{
    private enum S { A, B, C }

    private enum T { Go, Back, Guarded }

    [Fact]
    public void Fire_PermittedTrigger_MovesAndRunsEntryAction()
    {
        var state = S.A;
        var entered = new List<string>();
        var machine = new StateMachine<S, T>(() => state, s => state = s);
        machine.Configure(S.A).Permit(T.Go, S.B);
        machine.Configure(S.B).OnEntry(t => entered.Add($"{t.Source}->{t.Destination} by {t.Trigger}"));

        machine.Fire(T.Go);

        Assert.Equal(S.B, state);
        Assert.Equal(["A->B by Go"], entered);
    }

    [Fact]
    public void Fire_TriggerNotPermitted_ThrowsAndKeepsState()
    {
        var state = S.A;
        var machine = new StateMachine<S, T>(() => state, s => state = s);
        machine.Configure(S.A).Permit(T.Go, S.B);

        var error = Assert.Throws<InvalidOperationException>(() => machine.Fire(T.Back));

        Assert.Contains("'A'", error.Message);
        Assert.Equal(S.A, state);
    }

    [Fact]
    public void PermitIf_GuardFalse_CannotFire()
    {
        var state = S.A;
        var open = false;
        var machine = new StateMachine<S, T>(() => state, s => state = s);
        machine.Configure(S.A).PermitIf(T.Guarded, S.C, () => open, "open");

        Assert.False(machine.CanFire(T.Guarded));
        Assert.Empty(machine.PermittedTriggers);
        open = true;
        Assert.True(machine.CanFire(T.Guarded));
        machine.Fire(T.Guarded);
        Assert.Equal(S.C, state);
    }

    [Fact]
    public void Permit_SameTriggerTwiceWithoutGuard_Throws()
    {
        var state = S.A;
        var machine = new StateMachine<S, T>(() => state, s => state = s);
        var a = machine.Configure(S.A).Permit(T.Go, S.B);

        Assert.Throws<ArgumentException>(() => a.Permit(T.Go, S.C));
    }

    [Fact]
    public void ToMermaid_ListsTransitionsWithGuards()
    {
        var state = S.A;
        var machine = new StateMachine<S, T>(() => state, s => state = s);
        machine.Configure(S.A).Permit(T.Go, S.B).PermitIf(T.Guarded, S.C, () => true, "open");
        machine.Configure(S.C).Final();

        var mermaid = machine.ToMermaid(S.A);

        Assert.Equal("stateDiagram-v2\n    [*] --> A\n    A --> B : Go\n    A --> C : Guarded [open]\n    C --> [*]\n", mermaid);
    }
}
