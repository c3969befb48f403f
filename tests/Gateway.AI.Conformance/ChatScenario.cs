namespace Gateway.AI.Conformance;

/// <summary>What the model behind a client under test does, as <see cref="ChatClientConformanceTests"/> asks for it.</summary>
public enum ChatScenario
{
    /// <summary>Answers at once, the same text every time for the same request without sampling.</summary>
    Answers,

    /// <summary>Answers with many updates, one at a time, slowly enough that a caller can cancel in the middle.</summary>
    AnswersSlowly,

    /// <summary>Cannot serve the suite's long request: its server answers an error, or the model refuses it.</summary>
    Fails,
}
