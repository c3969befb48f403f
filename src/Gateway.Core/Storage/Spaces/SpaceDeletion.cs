namespace Gateway.Core.Storage.Spaces;

/// <summary>What deleting a space does to the conversations that belong to it.</summary>
public enum SpaceDeletion
{
    /// <summary>Refuse (<c>space_not_empty</c>) while any conversation belongs to the space.</summary>
    RefuseIfConversations,

    /// <summary>Delete the space's conversations, their messages and search entries with it.</summary>
    DeleteConversations,

    /// <summary>Keep the conversations, belonging to no space.</summary>
    DetachConversations,
}
