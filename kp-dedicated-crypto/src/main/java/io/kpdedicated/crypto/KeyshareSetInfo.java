package io.kpdedicated.crypto;

/**
 * Public facts about a keyshare set: nothing here is secret.
 *
 * @param setId random id shared by all files of the set
 * @param keyName the master key's name
 * @param checkValue the master key's check value
 * @param minimum K, the shares needed to rebuild
 * @param count N, the shares written
 */
public record KeyshareSetInfo(
    String setId, String keyName, KeyCheckValue checkValue, int minimum, int count) {}
