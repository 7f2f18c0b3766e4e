nor this (
